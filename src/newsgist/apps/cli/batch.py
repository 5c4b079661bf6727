"""``newsgist batch``: read a corpus into JSONL, resumably, on local processes or Ray.

    newsgist batch corpus.jsonl -o out.jsonl [--workers N] [--what highlights|card]
                   [--resume | --overwrite] [--engine local|ray [--address ADDR]]

INPUT is a JSONL file of ``{id, article}``, ``{id, html}`` or ``{id, url}`` records
(gzip-compressed too), a directory of .txt/.html files (id = relative path), or ``-``
for JSONL on standard input. Line formats and the exactly-once contract are in
:mod:`newsgist.apps.batch.local`. The exit status is 0 when every record was handled (failed
records are lines in the errors file, not a failed run).

Resume design: the output and errors files are append-only; each line goes out in
one ``write(2)`` (so ``kill -9`` loses at most the line being written) and is fsynced
in small groups. ``--resume`` cuts a torn last line, reads the keys already written
(ids, or line numbers for positional errors) and skips those records; a lock on
OUTPUT keeps a second run off the same files.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Optional

from newsgist.apps.batch.local import (DEFAULT_RECORD_TIMEOUT_S, WHATS, BatchError, Ledger, _open_binary,
                                      iter_input, list_dir, run_local)
from newsgist.reading.inputs import MAX_INPUT_BYTES
from newsgist.options import MAX_COUNT, Options
from newsgist.apps.cli.llm_flags import add_llm_args, llm_options
# the output files' code lives in apps/batch/output.py; these names stay importable from here
from newsgist.apps.batch.output import Writer, errors_path, prepare_output, truncate_torn_line  # noqa: F401

COMMAND = "batch"
# Without a terminal, one progress line on stderr every this many seconds.
PROGRESS_EVERY_S = 10.0
# Size assumed for a terminal that reports none (tqdm would hide the bar).
BAR_COLUMNS, BAR_ROWS = 100, 24


def add_parser(subparsers) -> None:
    from newsgist.highlighting.methods import method_names
    p = subparsers.add_parser(
        COMMAND, help="read a whole corpus (JSONL, a directory, stdin) into JSONL, resumably",
        description="Read every article of INPUT and write one JSON line per article to OUTPUT, "
                    "failed ones to OUTPUT.errors.jsonl. Lines follow the input order. Killed, "
                    "`--resume` finishes the job with every id exactly once.")
    p.add_argument("input", help="JSONL of {id, article|html|url} (.gz too), a directory of .txt/.html, or -")
    p.add_argument("-o", "--output", required=True, help="output JSONL file (errors go to OUTPUT.errors.jsonl)")
    p.add_argument("--what", choices=WHATS, default="highlights",
                   help="write {id, highlights:[...]} or {id, card:{...}} (default: %(default)s)")
    p.add_argument("-j", "--workers", type=int, default=None,
                   help="worker processes (default: all CPUs; with Ray: all CPUs of the cluster)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--resume", action="store_true", help="finish an interrupted run: skip ids already written")
    g.add_argument("--overwrite", action="store_true", help="replace an existing OUTPUT (and its errors file)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local processes, or Ray Data (pip install 'newsgist[ray]') (default: %(default)s)")
    p.add_argument("--address", default=None, help="Ray cluster address (default: start a local Ray)")
    p.add_argument("-m", "--method", default="default", choices=method_names(), help="highlight method")
    p.add_argument("-n", "--count", type=int, default=None, help=f"number of highlights, 1-{MAX_COUNT}")
    p.add_argument("-w", "--max-words", type=int, default=None, help="prefer highlights of at most W words")
    p.add_argument("--encoding", default="utf-8", help="encoding of files in a directory input, or 'auto'")
    p.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES, help="refuse articles larger than this")
    p.add_argument("--allow-private-hosts", action="store_true", help="URL records: allow private/loopback hosts")
    p.add_argument("--record-timeout", type=float, default=DEFAULT_RECORD_TIMEOUT_S, metavar="SECONDS",
                   help="time budget of one record: past it, a 'timeout' error line, and on to the next "
                        "(0: none; default: %(default)g)")
    p.add_argument("--progress", choices=("auto", "bar", "lines", "none"), default="auto",
                   help="a bar when stderr is a terminal, else a line every 10 s (default: %(default)s)")
    add_llm_args(p, batch=True)


class Progress:
    """Counts results; shows a tqdm bar (articles/s, ETA) or plain periodic lines."""

    def __init__(self, mode: str, total: int | None, every: float = PROGRESS_EVERY_S, label: str = COMMAND):
        self.ok = self.errors = 0
        self.label = label
        self.t0 = self._last = time.monotonic()
        self.t_first = None  # time of the first result: rates leave out start-up
        self.total, self.every, self.bar = total, every, None
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "lines"
        if mode == "bar":
            try:
                from tqdm import tqdm
            except ImportError:  # tqdm is optional: plain lines instead
                mode = "lines"
        self.mode = mode
        if mode == "bar":
            tqdm.monitor_interval = 0  # no monitor thread (worker processes are forked)
            try:
                sized = os.get_terminal_size(sys.stderr.fileno()).columns > 0
            except (OSError, ValueError):
                sized = False
            self.bar = tqdm(total=total, unit="article", file=sys.stderr, smoothing=0.1, dynamic_ncols=sized,
                            ncols=None if sized else BAR_COLUMNS, nrows=None if sized else BAR_ROWS)

    def __call__(self, result) -> None:
        if self.t_first is None:
            self.t_first = time.monotonic()
        if result.ok:
            self.ok += 1
        else:
            self.errors += 1
        if self.bar is not None:
            self.bar.update(1)
            if not result.ok:
                self.bar.set_postfix(errors=self.errors, refresh=False)
        elif self.mode == "lines" and time.monotonic() - self._last >= self.every:
            self._last = time.monotonic()
            print(f"newsgist {self.label}: {self.line()}", file=sys.stderr, flush=True)

    def resumed(self, done: int) -> None:
        """Records done by an earlier run: take them out of the total (for the ETA)."""
        if self.total is not None:
            self.total = max(0, self.total - done)
            if self.bar is not None:
                self.bar.total = self.total
                self.bar.refresh()

    def rate(self) -> float:
        """Articles/s since the first result (start-up and model loading left out)."""
        done = self.ok + self.errors
        if done < 2 or self.t_first is None:
            return 0.0
        return (done - 1) / max(1e-9, time.monotonic() - self.t_first)

    def line(self) -> str:
        done, rate = self.ok + self.errors, self.rate()
        s = f"{done} done ({self.errors} errors), {rate:.1f} articles/s"
        if self.total:
            s += f", {done}/{self.total}"
            if rate > 0 and done < self.total:
                s += f", ETA {_hms((self.total - done) / rate)}"
        return s

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def count_records(path: str) -> Optional[int]:
    """Number of records in a file or directory input (None for stdin); for progress ETA."""
    if path == "-":
        return None
    if os.path.isdir(path):
        return len(list_dir(path))
    with _open_binary(path) as fh:
        return sum(1 for raw in fh if raw.strip())


def run_job(input: str, output: str, *, options: Options | None = None, what: str = "highlights",
            workers: Optional[int] = None, resume: bool = False, overwrite: bool = False,
            engine: str = "local", address: Optional[str] = None, progress=None,
            record_timeout: Optional[float] = DEFAULT_RECORD_TIMEOUT_S) -> dict:
    """Run ``newsgist batch``: read INPUT, write OUTPUT and its errors file; return counts.

    ``progress(result)`` is called after each line is written. Raises BatchError
    (or OptionsError) before writing anything when the job cannot start.
    """
    options = options or Options()
    if what not in WHATS:
        raise BatchError(f"--what must be one of {', '.join(WHATS)}")
    if input != "-" and not os.path.exists(input):
        raise BatchError(f"no such file or directory: {input}")
    if engine == "ray":
        from newsgist.apps.batch.ray_engine import require_ray
        require_ray()
    elif engine != "local":
        raise BatchError(f"unknown engine {engine!r}; choose local or ray")
    state = prepare_output(output, what=what, resume=resume, overwrite=overwrite)
    ledger = Ledger(state.done_ids, state.done_lines)
    if engine == "ray":
        from newsgist.apps.batch.ray_engine import run_ray
        results = run_ray(input, ledger, what=what, options=options, workers=workers, address=address,
                          record_timeout=record_timeout)
    else:
        results = run_local(ledger.plan(iter_input(input, options.max_bytes)), what, options,
                            workers or os.cpu_count() or 1, record_timeout)
    counts = {"ok": 0, "errors": 0, "skipped": state.ok + state.errors, "cut_bytes": state.cut_bytes}
    if counts["skipped"] and hasattr(progress, "resumed"):
        progress.resumed(counts["skipped"])
    try:
        with Writer(output) as w:
            for r in results:
                w.write(r)
                counts["ok" if r.ok else "errors"] += 1
                if progress is not None:
                    progress(r)
    finally:
        os.close(state.lock_fd)
    return counts


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def run(args) -> int:
    """The ``batch`` command: run the job, print a summary line on stderr, exit 0."""
    options = Options(method=args.method, count=args.count, max_words=args.max_words, encoding=args.encoding,
                      max_bytes=args.max_bytes, allow_private_hosts=args.allow_private_hosts, **llm_options(args))
    total = None
    if args.progress in ("auto", "bar", "lines") and args.input != "-" and os.path.exists(args.input):
        total = count_records(args.input)
    progress = Progress(args.progress, total)
    try:
        counts = run_job(args.input, args.output, options=options, what=args.what, workers=args.workers,
                         resume=args.resume, overwrite=args.overwrite, engine=args.engine,
                         address=args.address, progress=progress, record_timeout=args.record_timeout)
    finally:
        progress.close()
    resumed = f", {counts['skipped']} already done" if args.resume else ""
    cut = f", cut a torn last line ({counts['cut_bytes']} bytes)" if counts.get("cut_bytes") else ""
    print(f"newsgist batch: wrote {counts['ok']} to {args.output}, {counts['errors']} errors to "
          f"{errors_path(args.output)}{resumed}{cut} in {time.monotonic() - progress.t0:.1f} s "
          f"({progress.rate():.1f} articles/s after start-up)", file=sys.stderr)
    return 0
