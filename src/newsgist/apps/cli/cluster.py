"""``newsgist cluster``: group a corpus's articles into stories (same event, not same topic).

    newsgist cluster IN.jsonl --out OUT.jsonl [--stories STORIES.jsonl [--cards]]
                     [--state DIR] [--workers N] [--engine local|ray [--address ADDR]]
                     [--resume | --overwrite] [--threshold T] [--chunk N] [--density | --no-second-pass]
                     [--progress MODE]

IN: one article a line, ``{"id", "text" | "article", "date"?, "source"?, "title"?}``
(gzip too; ``-`` for stdin). OUT: ``{"id", "story"}`` per article, errors in
OUT.errors.jsonl; the line formats are in :mod:`newsgist.apps.cluster.job` and
:mod:`newsgist.apps.cluster.stories`; the join rule in :mod:`newsgist.corpus.index`.
"""
from __future__ import annotations

import os
import sys
import time

from newsgist.apps.cli.batch import Progress, errors_path

COMMAND = "cluster"
#: Largest --chunk: a chunk's pair scores are an N x N matrix (2048: 32 MB each, ~N^2 work per chunk).
MAX_CHUNK = 2048


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        COMMAND, help="group a corpus's articles into stories (same event), incrementally",
        description="Place every article of INPUT in a story: articles about the same event (names, "
                    "places, dates, numbers and words agree) share a story id. In input order, a chunk "
                    "at a time: with --state DIR later runs add to the same stories.")
    p.add_argument("input", help="JSONL of {id, text|article, date?, source?, title?} (.gz too), or -")
    p.add_argument("--out", "-o", required=True, help="output JSONL: {id, story} per article")
    p.add_argument("--stories", default=None, help="also write one line per story: its articles, title, dates")
    p.add_argument("--cards", action="store_true", help="with --stories: each story's card (newsgist story)")
    p.add_argument("--state", default=None, metavar="DIR",
                   help="keep the story index in DIR: a later run adds its articles to the same stories")
    p.add_argument("-j", "--workers", type=int, default=None,
                   help="processes reading articles (default: all CPUs; with Ray: the cluster's)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local processes, or Ray Data (pip install 'newsgist[ray]') (default: %(default)s)")
    p.add_argument("--address", default=None, help="Ray cluster address (default: start a local Ray)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--resume", action="store_true", help="finish a killed run (same input and --state)")
    g.add_argument("--overwrite", action="store_true", help="replace an existing OUT and its errors file")
    p.add_argument("--threshold", type=float, default=None,
                   help="join threshold, 0-1 (default: the tuned one; higher: smaller, purer stories)")
    p.add_argument("--chunk", type=int, default=None, metavar="N",
                   help="articles placed together (grouped by average link among themselves before "
                        "they meet earlier stories; default: 1024; 1: one at a time)")
    p.add_argument("--density", action="store_true",
                   help="inside a chunk, raise the merge bar where events of one kind crowd together and "
                        "lower it elsewhere (better on ECB+, worse on small look-alike events: BENCHMARKS.md)")
    sp = p.add_mutually_exclusive_group()
    sp.add_argument("--second-pass", dest="second_pass", action="store_const", const=True, default=None,
                    help="inside a chunk, let groups of 1-3 articles join a group whose typed facts agree "
                         "(a weekday, street or lead name shared, none in conflict) at a lower bar; the "
                         "default of a new state (better on ECB+, slightly worse on look-alike shootings: "
                         "BENCHMARKS.md)")
    sp.add_argument("--no-second-pass", dest="second_pass", action="store_const", const=False,
                    help="turn the second pass off (a new state keeps it off)")
    p.add_argument("--progress", choices=("auto", "bar", "lines", "none"), default="auto",
                   help="a bar when stderr is a terminal, else a line every 10 s (default: %(default)s)")


def run(args) -> int:
    from newsgist.apps.cluster.job import run_cluster
    from newsgist.apps.cli.batch import count_records
    from newsgist.errors import OptionsError
    params = None
    if args.threshold is not None:
        if not 0.0 < args.threshold <= 1.0:
            raise OptionsError(f"--threshold must be in (0, 1], got {args.threshold}")
        params = {"threshold": args.threshold}
    if args.chunk is not None:
        if not 1 <= args.chunk <= MAX_CHUNK:
            raise OptionsError(f"--chunk must be in 1..{MAX_CHUNK}, got {args.chunk}")
        params = {**(params or {}), "chunk": args.chunk}
    if args.density:
        from newsgist.corpus.index import DENSITY
        params = {**(params or {}), "density": dict(DENSITY)}
    if args.second_pass:
        if args.density:
            raise OptionsError("--second-pass follows the plain average link: not with --density")
        from newsgist.corpus.linkage import SECOND
        params = {**(params or {}), "second": {**SECOND, "agree": list(SECOND["agree"])}}
    elif args.second_pass is False or args.density:   # --density groups by its own bar: no second pass
        params = {**(params or {}), "second": None}
    if args.workers is not None and args.workers < 1:
        raise OptionsError(f"--workers must be at least 1, got {args.workers}")
    workers = args.workers or (None if args.engine == "ray" else os.cpu_count() or 1)
    total = None
    if args.progress != "none" and args.input != "-" and os.path.isfile(args.input):
        total = count_records(args.input)
    progress = Progress(args.progress, total, label=COMMAND)
    try:
        counts = run_cluster(args.input, args.out, stories=args.stories, state_dir=args.state,
                             workers=workers, engine=args.engine, address=args.address, resume=args.resume,
                             overwrite=args.overwrite, cards=args.cards, params=params, progress=progress)
    finally:
        progress.close()
    if counts.get("complete"):
        print(f"newsgist cluster: the run writing {args.out} had already finished (its --state is saved): "
              "nothing to do", file=sys.stderr)
        return 0
    resumed = f", {counts['skipped']} lines already written" if args.resume else ""
    print(f"newsgist cluster: {counts['placed']} articles in {counts['touched']} stories "
          f"({counts['new_stories']} new) to {args.out}, {counts['errors']} errors to {errors_path(args.out)}"
          f"{resumed} in {time.monotonic() - progress.t0:.1f} s; peak memory {_peak_mb()}", file=sys.stderr)
    return 0


def _peak_mb() -> str:
    """Peak resident memory of this process and of its largest (finished) worker, in MB."""
    try:
        import resource
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    except (ImportError, OSError):   # no resource module (Windows)
        return "n/a"
    return f"{me:.0f} MB (largest worker {kids:.0f} MB)" if kids else f"{me:.0f} MB"
