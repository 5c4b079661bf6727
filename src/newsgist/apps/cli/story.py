"""``newsgist story``: one story card from several reports of one event (issue 29).

    newsgist story A B C ... [--format text|json] [--count N | --words N]
    newsgist story --stories IN.jsonl --out OUT.jsonl [--workers N] [--resume]

Each of A B C is a text file, an HTML file or an http(s) URL (the fetch rules of
``card``). An article that cannot be read is named on stderr (and in ``meta.failed``)
and the story goes on; when none can be read the command fails with the usual one-line
error. ``--stories`` reads ``{"id", "articles": [text | {text, source, date}]}`` lines
and writes one ``{"id", "story": {...}}`` line each (a story that fails:
``{"id", "error": {code, message}}``), in input order; ``--resume`` skips the ids
already in OUT. A line without an id (or not JSON) is written with ``"id": null`` and its
``"line"`` (1-based): a real id can never be taken for it, and ``--resume`` knows it by
its line.
"""
from __future__ import annotations

import json
import os
import sys

from newsgist.errors import NewsgistError, OptionsError
from newsgist.options import Options

# the error code of a story that failed on a bug rather than its input (as `newsgist batch` records one)
INTERNAL_CODE = "internal"

COMMAND = "story"


def add_parser(subparsers) -> None:
    from newsgist.apps.cli.main import _fetch_args
    from newsgist.reading.inputs import MAX_INPUT_BYTES
    from newsgist.story.build import DEFAULT_COUNT, MAX_COUNT
    p = subparsers.add_parser(
        COMMAND, help="one story card from several articles: shared facts, additions, disagreements",
        description="Read several reports of one event and print one story card: the facts with every "
                    "article that reports them, what each article adds, the figures and speakers they "
                    "disagree on, quotes and entities merged. Every line points to its article and span.")
    p.add_argument("inputs", nargs="*", help="text or HTML files, or http(s) URLs (one article each)")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("-n", "--count", type=int, default=DEFAULT_COUNT,
                   help=f"story highlights, 1-{MAX_COUNT} (default: %(default)s)")
    p.add_argument("--words", type=int, default=None, help="a word budget for the highlights instead of a count")
    p.add_argument("--stories", help="JSONL of {id, articles:[...]}: one story card a line (with --out)")
    p.add_argument("--out", help="with --stories: the output JSONL ({id, story} or {id, error})")
    p.add_argument("-j", "--workers", type=int, default=1, help="with --stories: worker processes (default: 1)")
    p.add_argument("--resume", action="store_true", help="with --stories: skip ids already in --out")
    p.add_argument("--encoding", default="utf-8", help="input encoding, or 'auto' (default: utf-8)")
    p.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES, help="size limit of each input in bytes")
    _fetch_args(p)


def _story_options(args):
    from newsgist.story.build import StoryOptions
    card = Options(encoding=args.encoding, max_bytes=args.max_bytes, allow_private_hosts=args.allow_private_hosts,
                   fetch_timeout=args.timeout)
    return StoryOptions(count=args.count, words=args.words, card=card)


def run(args) -> int:
    if args.stories:
        return _run_stories(args)
    if args.out or args.resume:
        raise OptionsError("--out and --resume go with --stories IN.jsonl")
    if not args.inputs:
        raise OptionsError("give the articles of the story (files or URLs), or --stories IN.jsonl --out OUT.jsonl")
    from newsgist.reading.load import is_url
    from newsgist.story import story
    items = [{"url": a} if is_url(a) else {"path": a, "source": a} for a in args.inputs]
    card = story(items, _story_options(args)).to_dict()
    if args.format == "json":
        sys.stdout.write(json.dumps(card, ensure_ascii=False, indent=2) + "\n")
    else:
        from newsgist.story.render import render_story
        body = render_story(card)
        failed = [ln for ln in body.splitlines() if ln.startswith("newsgist: article ")]
        sys.stdout.write("\n".join(ln for ln in body.splitlines() if not ln.startswith("newsgist: article ")) + "\n")
        for ln in failed:
            print(ln, file=sys.stderr)
    if args.format == "json":
        for f in card["meta"].get("failed", []):
            print(f"newsgist: article {f['input']} not read: [{f['error']['code']}] {f['error']['message']}",
                  file=sys.stderr)
    return 0


def _sid(rec):
    """The story's id as given, or None for a line without one (or not a JSON object)."""
    return rec.get("id") if isinstance(rec, dict) else None


def _key(sid, n: int) -> str:
    """What --resume knows an output line by: its id as JSON, or "line N" when it has none
    (never the JSON of an id: that is a quoted string, a number, an object...)."""
    return json.dumps(sid) if sid is not None else f"line {n + 1}"


def _one(task):
    """A worker's job: (line number, record, options) -> the output line (a str)."""
    n, rec, opts = task
    sid = _sid(rec)
    head = {"id": sid} if sid is not None else {"id": None, "line": n + 1}
    try:
        if not isinstance(rec, dict) or not isinstance(rec.get("articles"), list):
            raise OptionsError(f"line {n + 1}: a story is {{\"id\", \"articles\": [...]}}")
        from newsgist.story import story
        return json.dumps({**head, "story": story(rec["articles"], opts).to_dict()}, ensure_ascii=False)
    except NewsgistError as exc:
        return json.dumps({**head, "error": exc.to_dict()}, ensure_ascii=False)
    except Exception as exc:  # a bug in one story: recorded as batch records one ("internal"), the run goes on
        return json.dumps({**head, "error": {"code": INTERNAL_CODE, "message": f"{type(exc).__name__}: {exc}"}},
                          ensure_ascii=False)


def _done_ids(path: str) -> set:
    done = set()
    if not os.path.exists(path):
        return done
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
                done.add(_key(rec["id"], rec["line"] - 1) if rec["id"] is None else _key(rec["id"], -1))
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line: written again
    return done


def _run_stories(args) -> int:
    if not args.out:
        raise OptionsError("--stories needs --out OUT.jsonl")
    if args.inputs:
        raise OptionsError("give either article files or --stories, not both")
    if args.workers < 1:
        raise OptionsError("--workers must be at least 1")
    from newsgist.reading.inputs import decode, read_bytes
    opts = _story_options(args)
    if os.path.exists(args.out) and not args.resume:
        raise OptionsError(f"{args.out} exists: add --resume to finish it, or remove it")
    text, _ = decode(read_bytes(args.stories, 1 << 31), "utf-8")
    done = _done_ids(args.out) if args.resume else set()
    tasks = []
    for n, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            rec = None
        if _key(_sid(rec), n) in done:
            continue
        tasks.append((n, rec, opts))
    _trim_torn(args.out)
    written = 0
    with open(args.out, "a", encoding="utf-8") as out:
        if args.workers == 1:
            lines = map(_one, tasks)
        else:
            import multiprocessing as mp
            pool = mp.get_context("spawn").Pool(args.workers)
            lines = pool.imap(_one, tasks)
        for line in lines:
            out.write(line + "\n")
            out.flush()
            written += 1
        if args.workers > 1:
            pool.close()
            pool.join()
    print(f"newsgist: {written} stor{'y' if written == 1 else 'ies'} written to {args.out}"
          + (f" ({len(done)} already there)" if done else ""), file=sys.stderr)
    return 0


def _trim_torn(path: str) -> None:
    """Cut a last line without its newline (a run killed mid-write) so the append starts clean."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    with open(path, "rb+") as fh:
        data = fh.read()
        if not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)
