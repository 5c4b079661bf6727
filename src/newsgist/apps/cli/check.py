"""``newsgist check``: is a summary backed by its article? (issue 14)

    newsgist check ARTICLE --summary "TEXT" | --summary-file F [--format text|json]
    newsgist check --pairs PAIRS.jsonl --out OUT.jsonl [--limit N]

ARTICLE is a text or HTML file, an http(s) URL (the fetch rules of ``card``), or
``-``. The summary is one sentence or bullet a line, or prose that is split into
sentences. The text report shows each sentence with ✓/✗, its score, the source
sentence that backs it and the unsupported pieces marked; ``--format json`` prints
``newsgist.check``'s object. ``--pairs`` reads ``{id, article, summary}`` lines and
writes ``{id, score, supported, sentences}`` lines in the input order (a bad pair
becomes ``{id, error: {code, message}}``), streaming, with a progress bar.
"""
from __future__ import annotations

import json
import sys

from newsgist.errors import InputError, OptionsError
from newsgist.options import Options

COMMAND = "check"
MARK = {True: "✓", False: "✗"}


def add_parser(subparsers) -> None:
    from newsgist.apps.cli.main import INPUT_HELP, _fetch_args
    from newsgist.reading.inputs import MAX_INPUT_BYTES
    p = subparsers.add_parser(
        COMMAND, help="check a summary against its article: each sentence's support, score, unsupported pieces",
        description="Check whether each sentence of a summary is backed by the article: the source spans that "
                    "back it, a score in [0, 1], and the numbers, names, quotes, negations or relations the "
                    "article does not back.")
    p.add_argument("input", nargs="?", help=INPUT_HELP)
    g = p.add_mutually_exclusive_group()
    g.add_argument("-s", "--summary", help="the summary text (one sentence a line, or prose)")
    g.add_argument("--summary-file", help="a file holding the summary")
    g.add_argument("--pairs", help="JSONL of {id, article, summary} to check in bulk (with --out)")
    p.add_argument("--out", help="with --pairs: the output JSONL ({id, score, supported, sentences})")
    p.add_argument("--limit", type=int, default=None, help="with --pairs: only the first N pairs")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--encoding", default="utf-8", help="input encoding, or 'auto' (default: utf-8)")
    p.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES, help="input size limit in bytes")
    _fetch_args(p)


def _options(args) -> Options:
    return Options(encoding=args.encoding, max_bytes=args.max_bytes, allow_private_hosts=args.allow_private_hosts,
                   fetch_timeout=args.timeout)


def run(args) -> int:
    if args.pairs:
        return _run_pairs(args)
    if not args.input:
        raise OptionsError("give an ARTICLE and --summary/--summary-file, or --pairs PAIRS.jsonl --out OUT.jsonl")
    if args.summary is None and args.summary_file is None:
        raise OptionsError("give the summary: --summary TEXT or --summary-file FILE")
    from newsgist.api import check
    from newsgist.apps.cli.main import _source
    from newsgist.reading.inputs import decode, read_bytes
    options = _options(args)
    if args.summary_file is not None:
        summary, _ = decode(read_bytes(args.summary_file, args.max_bytes), args.encoding)
    else:
        summary = args.summary
    src = _source(args, options)
    from newsgist.pipeline import run as run_stages, stages_named
    from newsgist.reading.load import article_from_source
    article = run_stages(article_from_source(src), options, stages_named("clean", "segment"))
    result = check(article, summary, options)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(report(result, article.source))
    return 0


def report(result: dict, source: str) -> str:
    """The readable report: each sentence, ✓/✗, its score, the backing source sentence."""
    out = []
    for k, s in enumerate(result["sentences"], 1):
        text = s["text"]
        for u in s["unsupported"]:  # mark each unsupported piece once: [[piece]]
            if u["text"] and u["text"] in text:
                text = text.replace(u["text"], f"[[{u['text']}]]", 1)
        out.append(f"{MARK[s['supported']]} {k}. ({s['score']:.2f}) {text}")
        if s["support"]:
            a, b = s["support"][0]["start"], s["support"][0]["end"]
            out.append(f"     source [{a}:{b}]: {' '.join(source[a:b].split())}")
        else:
            out.append("     source: nothing in the article backs it")
        for u in s["unsupported"]:
            out.append(f"     unsupported {u['kind']}: {u['text']}")
    verdict = "supported" if result["supported"] else "NOT supported"
    out.append(f"summary: {verdict} (score {result['score']:.2f}, {len(result['sentences'])} sentences)")
    return "\n".join(out) + "\n"


def _pair_result(rec, i: int) -> dict:
    from newsgist.api import check
    from newsgist.errors import NewsgistError
    rid = rec.get("id", i) if isinstance(rec, dict) else i
    try:
        if not isinstance(rec, dict) or not isinstance(rec.get("article"), str) or "summary" not in rec:
            raise InputError(f"line {i + 1}: a pair is {{id, article, summary}}")
        res = check(rec["article"], rec["summary"])
    except NewsgistError as exc:
        return {"id": rid, "error": exc.to_dict()}
    return {"id": rid, "score": res["score"], "supported": res["supported"], "sentences": res["sentences"]}


def _run_pairs(args) -> int:
    if not args.out:
        raise OptionsError("--pairs needs --out OUT.jsonl")
    from tqdm import tqdm
    try:
        fh_in = open(args.pairs, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {args.pairs}: {exc.strerror or exc}") from exc
    n = bad = 0
    with fh_in, open(args.out, "w", encoding="utf-8") as fh_out, \
            tqdm(desc="check", unit="pair", file=sys.stderr, disable=None) as bar:
        for i, line in enumerate(fh_in):
            if args.limit is not None and n >= args.limit:
                break
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                rec = None
            row = _pair_result(rec, i)
            bad += "error" in row
            fh_out.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh_out.flush()
            n += 1
            bar.update(1)
    print(f"checked {n} pairs ({bad} failed) -> {args.out}", file=sys.stderr)
    return 0
