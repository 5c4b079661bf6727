"""The ``newsgist`` command line: a thin layer over the library.

Errors print one line, ``newsgist: error [code]: message``, and exit with the
error's code (see errors.py and README). Set NEWSGIST_DEBUG=1 for a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from newsgist.version import __version__
from newsgist.errors import NewsgistError, OptionsError
from newsgist.reading.inputs import MAX_INPUT_BYTES, Source, decode, read_bytes
from newsgist.options import FORMATS, MAX_COUNT, Options
from newsgist.highlighting.methods import SCORERS, method_names
from newsgist.apps.cli.llm_flags import add_llm_args, llm_options
from newsgist.threads import pin_blas_threads

# Commands that live in their own modules: each exposes ``add_parser(subparsers)``
# (registering one sub-command whose name is the module's ``COMMAND``) and
# ``run(args) -> int``. Missing optional modules are skipped.
PLUGIN_COMMANDS = ("newsgist.apps.cli.train", "newsgist.apps.cli.batch", "newsgist.apps.cli.serve",
                   "newsgist.apps.cli.check", "newsgist.apps.cli.story",
                   "newsgist.apps.cli.cluster")

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


INPUT_HELP = "a text or HTML file, an http(s) URL, or - for standard input"


def _fetch_args(p: argparse.ArgumentParser):
    p.add_argument("--allow-private-hosts", action="store_true",
                   help="URL input: allow hosts on loopback/private networks (refused by default)")
    p.add_argument("--timeout", type=float, default=10.0, help="URL input: connect/read timeout in seconds")


def _common(p: argparse.ArgumentParser, fmt_default="text"):
    p.add_argument("input", help=INPUT_HELP)
    p.add_argument("-f", "--format", choices=FORMATS, default=fmt_default, help="output format (default: %(default)s)")
    p.add_argument("-m", "--method", default="default", choices=method_names(),
                   help="highlight method (default: the best measured one; see `newsgist methods`)")
    p.add_argument("-n", "--count", type=int, default=None,
                   help=f"number of highlights, 1-{MAX_COUNT} (default: 3, or 4 for long articles)")
    p.add_argument("-w", "--max-words", type=int, default=None, help="prefer highlights of at most W words")
    p.add_argument("--compress", action=argparse.BooleanOptionalAction, default=False,
                   help="shorten highlights by deleting words (never adding any); each keeps its source "
                        "spans and a faithfulness report (default: off)")
    p.add_argument("--target-words", type=int, default=None, help="with --compress: aim for at most N words")
    p.add_argument("--encoding", default="utf-8",
                   help="input encoding: a codec name, or 'auto' to detect (default: strict utf-8)")
    p.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES,
                   help="refuse inputs larger than this many bytes (default: %(default)s)")
    _fetch_args(p)
    add_llm_args(p)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="newsgist",
                                 description="Story highlights, quotes, entities and key figures from a news article, "
                                             "offline. Every output points back to its source span.")
    ap.add_argument("--version", action="version", version=f"newsgist {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("card", help="the full story card: highlights, quotes, entities, figures, removed clutter",
                       description="Print the story card of an article (text or HTML).")
    _common(p)
    p = sub.add_parser("highlights", help="only the highlight bullets (fast: no NLP parse)",
                       description="Print the highlights of an article (text or HTML).")
    _common(p)
    p = sub.add_parser("text", help="the cleaned body text",
                       description="Print the cleaned body: paragraphs separated by a blank line, headings on their own line.")
    p.add_argument("input", help=INPUT_HELP)
    p.add_argument("--encoding", default="utf-8", help="input encoding, or 'auto' (default: utf-8)")
    p.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES, help="input size limit in bytes")
    _fetch_args(p)
    p = sub.add_parser("eval", help="ROUGE of methods against reference highlights, LEAD-3 in the same run",
                       description="Score highlight methods on JSONL records {id, article, highlights:[...]} with "
                                   "ROUGE-1/2/Lsum F1 (rouge-score, stemming, one highlight a line). Naive LEAD-3 on "
                                   "the uncleaned article is always included as the baseline.")
    p.add_argument("data", help="a JSONL file (.gz too) of {id, article, highlights}")
    p.add_argument("-m", "--method", action="append", choices=method_names(),
                   help="a method to score (repeatable; default: default)")
    p.add_argument("--out", help="write {id, highlights:[str]} of the default (first) method per article here")
    p.add_argument("--limit", type=int, default=None, help="score only the first N records")
    p.add_argument("-f", "--format", choices=("text", "markdown", "json"), default="text")
    sub.add_parser("methods", help="list the highlight methods", description="List the registered highlight methods.")
    for mod in _plugins():
        mod.add_parser(sub)
    return ap


def _plugins():
    import importlib
    mods = []
    for name in PLUGIN_COMMANDS:
        try:
            mods.append(importlib.import_module(name))
        except ImportError as exc:
            if exc.name != name:  # the module exists but its own import failed: say so
                raise
    return mods


def _source(args, options: Options) -> Source:
    from newsgist.reading.load import fetch_source, is_url
    if is_url(args.input):
        return fetch_source(args.input, options)
    data = read_bytes(args.input, args.max_bytes)
    text, enc = decode(data, args.encoding)
    return Source(text=text, kind="text", name=args.input, encoding=enc)


def _options(args, **extra) -> Options:
    return Options(method=args.method, count=args.count, max_words=args.max_words, format=args.format,
                   encoding=args.encoding, max_bytes=args.max_bytes, allow_private_hosts=args.allow_private_hosts,
                   fetch_timeout=args.timeout, compress=args.compress, target_words=args.target_words,
                   **llm_options(args), **extra)


def cmd_card(args, highlights_only=False) -> int:
    from newsgist.pipeline import run
    from newsgist.reading.load import article_from_source
    from newsgist.apps.cli.render import render
    options = _options(args)
    article = run(article_from_source(_source(args, options)), options, highlights_only=highlights_only)
    sys.stdout.write(render(article.to_dict(), options.format, highlights_only=highlights_only))
    if options.format == "json":
        sys.stdout.write("\n")
    for warning in article.meta.get("warnings", []):   # also in meta.warnings; said here for a reader
        print(f"newsgist: warning: {warning}", file=sys.stderr)
    return 0


def cmd_text(args) -> int:
    from newsgist.pipeline import run, stages_named
    from newsgist.reading.load import article_from_source
    from newsgist.apps.cli.render import render_body
    options = Options(encoding=args.encoding, max_bytes=args.max_bytes, allow_private_hosts=args.allow_private_hosts,
                      fetch_timeout=args.timeout)
    article = run(article_from_source(_source(args, options)), options, stages_named("clean"))
    sys.stdout.write(render_body(article))
    return 0


def cmd_eval(args) -> int:
    from newsgist.evaluation.evaluate import evaluate, format_table, read_jsonl, to_markdown
    from newsgist.evaluation.evaluate import lead3_pysbd
    from newsgist.api import highlights as hl
    methods = args.method or ["default"]
    records = list(read_jsonl(args.data, limit=args.limit))
    if not records:
        raise OptionsError(f"{args.data} holds no records")
    table = {"lead3": lead3_pysbd}
    for m in methods:
        table[m] = (lambda mm: (lambda text: hl(text, method=mm)))(m)
    progress = _progress(len(records) * len(table))
    result = evaluate(records, table, progress=progress)
    sys.stderr.write("\n" if progress else "")
    if args.out:
        preds = result.predictions[methods[0]]
        with open(args.out, "w", encoding="utf-8") as fh:
            for rec, pred in zip(records, preds):
                fh.write(json.dumps({"id": rec.get("id"), "highlights": pred}, ensure_ascii=False) + "\n")
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(to_markdown(result) if args.format == "markdown" else format_table(result, baseline="lead3"))
    return 0


def _progress(total: int):
    if not sys.stderr.isatty():
        return None
    state = {"n": 0}

    def tick(i=None, n=None):
        state["n"] += 1
        if state["n"] % 25 == 0 or state["n"] == total:
            sys.stderr.write(f"\r  scored {state['n']}/{total}")
            sys.stderr.flush()
    return tick


def cmd_methods(args) -> int:
    from newsgist.highlighting.methods import default_method
    for name, s in SCORERS.items():
        mark = " (default)" if name == default_method() else ""
        print(f"{name:10s} {s.description}{mark}")
    return 0


def main(argv=None) -> int:
    pin_blas_threads()  # before anything imports numpy
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        if args.command == "card":
            return cmd_card(args)
        if args.command == "highlights":
            return cmd_card(args, highlights_only=True)
        if args.command == "text":
            return cmd_text(args)
        if args.command == "eval":
            return cmd_eval(args)
        if args.command == "methods":
            return cmd_methods(args)
        for mod in _plugins():
            if args.command == mod.COMMAND:
                return mod.run(args)
    except NewsgistError as exc:
        print(f"newsgist: error [{exc.code}]: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("newsgist: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: one line, never a traceback (unless debugging)
        if os.environ.get("NEWSGIST_DEBUG"):
            raise
        print(f"newsgist: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return EXIT_INTERNAL
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
