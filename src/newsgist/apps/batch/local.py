"""Batch runs over corpora: streaming, bounded, resumable, exactly once.

Python API::

    >>> from newsgist.apps.batch.local import batch
    >>> for r in batch([{"id": "a1", "article": text}], Options(), what="highlights", workers=2):
    ...     print(r.id, r.ok, r.highlights or r.code)

Records are ``{id, article}``, ``{id, html}`` or ``{id, url}`` dicts (or
``(id, text)`` pairs). Results come back lazily, in input order, one per record.

Line formats (``newsgist batch INPUT -o OUT.jsonl``; one JSON object a line, UTF-8):

* ``OUT.jsonl``: ``{"id": ID, "highlights": ["...", ...]}`` (``--what highlights``)
  or ``{"id": ID, "card": {...}}`` (``--what card``; the card of ``Article.to_dict``).
* ``OUT.errors.jsonl``: ``{"id": ID, "code": CODE, "message": MSG}`` for a record that
  failed (codes of :mod:`newsgist.errors`, ``internal`` for a bug). Records that cannot
  be known by their id carry ``"line": N`` (1-based line of the input, or position in
  the iterable): ``bad_json``, ``bad_record`` (not an object), ``missing_id`` (id
  absent, null, empty or not a string/integer; ``id`` is then null) and
  ``duplicate_id`` (a later record with an id already seen; the first one is kept).

Every input record ends as exactly one line in one of the two files. An error line
with ``line`` is keyed by its line number, every other line by its id; ``--resume``
skips the keys already present. Lines are written in input order. Writing the files
and resuming are in :mod:`newsgist.apps.cli.batch`; the Ray engine in
:mod:`newsgist.apps.batch.ray_engine`.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from newsgist.errors import NewsgistError, TooLargeError
from newsgist.reading.inputs import decode
from newsgist.options import Options
from newsgist.threads import pin_blas_threads

WHATS = ("highlights", "card")
# File extensions read from a directory input.
DIR_EXTENSIONS = (".txt", ".html", ".htm")
GZIP_MAGIC = b"\x1f\x8b"
# Local engine: records per task sent to a worker, and tasks in flight per worker.
# 4 x 4 keeps each worker busy while bounding memory to ~16 articles a worker.
CHUNK_SIZE = 4
CHUNKS_IN_FLIGHT_PER_WORKER = 4
# Parallelism is across processes: each one keeps BLAS to one thread (threads.py).
# How often a worker checks that its driver is still alive (seconds).
PARENT_CHECK_S = 1.0
# Error codes of records that cannot be keyed by id (their error line carries "line").
POSITIONAL_CODES = ("bad_json", "bad_record", "missing_id", "duplicate_id")
INTERNAL_CODE = "internal"


class BatchError(NewsgistError):
    """The batch job itself cannot run (bad output path, corrupt output to resume)."""
    code = "batch_failed"
    exit_code = 11


# --- records and results --------------------------------------------------------------

@dataclass
class Item:
    """One input record before processing: ``kind`` is article | html | url | file."""
    line: int
    id: Any = None
    kind: str = "article"
    payload: Any = None          # str for article/html/url, bytes for file
    error: Optional[tuple[str, str]] = None   # (code, message) of a positional error


@dataclass
class Result:
    """The outcome of one record: ``ok`` with ``highlights``/``card``, or ``code``/``message``."""
    id: Any
    ok: bool
    highlights: Optional[list[str]] = None
    card: Optional[dict] = None
    code: Optional[str] = None
    message: Optional[str] = None
    line: Optional[int] = None   # set only for positional errors (see POSITIONAL_CODES)

    def to_line(self) -> dict:
        """The JSON object written to the output (ok) or errors file."""
        if self.ok:
            return {"id": self.id, "card": self.card} if self.card is not None \
                else {"id": self.id, "highlights": self.highlights}
        d = {"id": self.id, "code": self.code, "message": self.message}
        if self.line is not None:
            d["line"] = self.line
        return d

    @classmethod
    def from_line(cls, d: dict, ok: bool) -> "Result":
        if ok:
            return cls(d["id"], True, highlights=d.get("highlights"), card=d.get("card"))
        return cls(d.get("id"), False, code=d.get("code"), message=d.get("message"), line=d.get("line"))


def _error(item_id, code: str, message: str, line: Optional[int] = None) -> Result:
    return Result(item_id, False, code=code, message=message, line=line)


def _valid_id(v) -> bool:
    return (isinstance(v, str) and v != "") or (isinstance(v, int) and not isinstance(v, bool))


def item_from_record(rec, line: int) -> Item:
    """An :class:`Item` from a parsed record (a dict)."""
    if not isinstance(rec, dict):
        return Item(line, error=("bad_record", f"a record must be a JSON object, got {type(rec).__name__}"))
    rid = rec.get("id")
    if not _valid_id(rid):
        return Item(line, error=("missing_id", "record has no usable id (a non-empty string or an integer)"))
    for kind in ("article", "html", "url"):
        if kind in rec:
            if not isinstance(rec[kind], str):
                return Item(line, rid, "invalid", f"field {kind!r} must be a string")
            return Item(line, rid, kind, rec[kind])
    return Item(line, rid, "invalid", "record has none of the fields article, html, url")


def parse_line(raw: bytes, line: int) -> Optional[Item]:
    """Parse one JSONL line (bytes, its newline optional); None for a blank line."""
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    if not raw.strip():
        return None
    try:
        rec = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return Item(line, error=("bad_json", f"malformed JSON: {str(exc)[:200]}"))
    return item_from_record(rec, line)


# --- reading inputs -------------------------------------------------------------------

def _open_binary(path: str):
    if path == "-":
        stream = sys.stdin.buffer
        head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
        return gzip.GzipFile(fileobj=stream) if head == GZIP_MAGIC else stream
    fh = open(path, "rb")
    if fh.read(2) == GZIP_MAGIC:
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh)
    fh.seek(0)
    return fh


def iter_jsonl(path: str) -> Iterator[Item]:
    """Items of a JSONL file (gzip detected by its magic bytes) or ``-`` (stdin)."""
    fh = _open_binary(path)
    try:
        for n, raw in enumerate(fh, 1):
            item = parse_line(raw, n)
            if item is not None:
                yield item
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def list_dir(root: str) -> list[str]:
    """Files of ``root`` with a DIR_EXTENSIONS suffix, relative POSIX paths, sorted; dotfiles skipped."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            if not f.startswith(".") and f.lower().endswith(DIR_EXTENSIONS):
                out.append(Path(dirpath, f).relative_to(root).as_posix())
    return sorted(out)


def read_capped(path: str, max_bytes: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(max_bytes + 1)


def iter_dir(root: str, max_bytes: int) -> Iterator[Item]:
    """Items of a directory of .txt/.html files; the id is the relative path."""
    for n, rel in enumerate(list_dir(root), 1):
        try:
            data = read_capped(os.path.join(root, rel), max_bytes)
        except OSError as exc:
            yield Item(n, rel, "invalid", f"cannot read {rel}: {exc.strerror or exc}")
            continue
        yield Item(n, rel, "file", data)


def iter_input(path: str, max_bytes: int) -> Iterator[Item]:
    """Items of a JSONL file (.gz too), a directory, or ``-`` (JSONL on stdin)."""
    if path != "-" and os.path.isdir(path):
        return iter_dir(path, max_bytes)
    if path != "-" and not os.path.isfile(path):
        raise BatchError(f"no such file or directory: {path}")
    return iter_jsonl(path)


# --- processing one record (runs in workers) ------------------------------------------

def _source(item: Item, options: Options):
    from newsgist.reading.inputs import Source
    if item.kind == "url":
        try:
            from newsgist.reading.load import fetch_source
        except ImportError as exc:
            raise NewsgistError(f"URL input is not available: {exc}") from None
        return fetch_source(item.payload, options)
    data = item.payload if item.kind == "file" else item.payload.encode("utf-8", "surrogatepass")
    if len(data) > options.max_bytes:
        raise TooLargeError(f"input is larger than the {options.max_bytes} byte limit")
    text, enc = decode(data, options.encoding if item.kind == "file" else "utf-8")
    return Source(text=text, kind="html" if item.kind == "html" else "text", name=str(item.id), encoding=enc,
                  html=text if item.kind == "html" else None)


def process_item(item, what: str, options: Options) -> Result:
    """Read one record; never raises (failures become error results)."""
    if isinstance(item, Result):
        return item
    if item.kind == "invalid":
        return _error(item.id, "bad_record", item.payload)
    try:
        from newsgist.api import read
        article = read(_source(item, options), options, highlights_only=(what == "highlights"))
        if what == "card":
            return Result(item.id, True, card=article.to_dict())
        return Result(item.id, True, highlights=[h.text for h in article.highlights])
    except NewsgistError as exc:
        return _error(item.id, exc.code, exc.message)
    except Exception as exc:  # a bug in a stage: one record fails, the batch goes on
        return _error(item.id, INTERNAL_CODE, f"{type(exc).__name__}: {exc}"[:500])


def warm_up(what: str) -> None:
    """Load what the pipeline needs once per worker process (spaCy for cards)."""
    import newsgist.api  # noqa: F401
    if what == "card":
        from newsgist.card.nlp import load_nlp
        load_nlp()


# --- exactly once: the ledger ----------------------------------------------------------

@dataclass
class Ledger:
    """Which records to process, skip (done before) or report as duplicates.

    ``done_ids``/``done_lines`` are the keys already in the output and errors files.
    ``seen`` holds every id met so far (memory grows with the number of ids only).
    """
    done_ids: set = field(default_factory=set)
    done_lines: set = field(default_factory=set)
    seen: set = field(default_factory=set)

    def admit(self, item_id, line: int) -> Optional[Result]:
        """None to skip; a duplicate error to write; or the string "work"."""
        if item_id in self.seen:
            if line in self.done_lines:
                return None
            return _error(item_id, "duplicate_id", f"id {item_id!r} already appeared earlier in the input", line)
        self.seen.add(item_id)
        return None if item_id in self.done_ids else "work"

    def plan(self, items: Iterable[Item]) -> Iterator[Item | Result]:
        """Work items and ready errors in input order, without what is already done."""
        for it in items:
            if it.error is not None:
                if it.line not in self.done_lines:
                    yield _error(None, it.error[0], it.error[1], it.line)
                continue
            verdict = self.admit(it.id, it.line)
            if verdict == "work":
                yield it
            elif verdict is not None:
                yield verdict


# --- the local engine ------------------------------------------------------------------

_WORKER: dict = {}


def _exit_with_parent(parent: int) -> None:
    """End this worker when the driver dies (kill -9 leaves forked workers orphaned)."""
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="newsgist-parent-watch").start()


def _init_worker(what: str, options: Options, parent: int) -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's: it stops and closes cleanly
    _exit_with_parent(parent)
    _WORKER.update(what=what, options=options)
    warm_up(what)


def _process_chunk(chunk: list) -> list[Result]:
    return [process_item(it, _WORKER["what"], _WORKER["options"]) for it in chunk]


def _chunks(stream: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for x in stream:
        chunk.append(x)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_local(planned: Iterable, what: str, options: Options, workers: int = 1) -> Iterator[Result]:
    """Process planned items in input order; ``workers`` > 1 uses a process pool.

    At most ``workers * CHUNKS_IN_FLIGHT_PER_WORKER`` chunks of ``CHUNK_SIZE`` records
    are in flight, so memory stays flat whatever the corpus size. With one worker
    the records are processed in this process.
    """
    pin_blas_threads()
    if workers <= 1:
        warm_up(what)
        for it in planned:
            yield process_item(it, what, options)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    window = workers * CHUNKS_IN_FLIGHT_PER_WORKER
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(what, options, os.getpid()))
    pending: deque = deque()
    try:
        for chunk in _chunks(planned, CHUNK_SIZE):
            pending.append(pool.submit(_process_chunk, chunk))
            while len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except Exception as exc:
        from concurrent.futures.process import BrokenProcessPool
        if isinstance(exc, BrokenProcessPool):
            raise BatchError("a worker process died; what was written is complete: rerun with --resume") from None
        raise
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def batch(records: Iterable, options: Options | None = None, *, what: str = "highlights",
          workers: int = 1) -> Iterator[Result]:
    """Read every record of ``records`` lazily; yield one :class:`Result` per record, in order.

    Records are dicts ``{id, article | html | url}`` or ``(id, text)`` pairs. Missing
    and duplicated ids give ``missing_id``/``duplicate_id`` error results.
    """
    if what not in WHATS:
        from newsgist.errors import OptionsError
        raise OptionsError(f"what must be one of {', '.join(WHATS)}, got {what!r}")
    options = options or Options()
    items = (item_from_record({"id": r[0], "article": r[1]} if isinstance(r, tuple) and len(r) == 2 else r, n)
             for n, r in enumerate(records, 1))
    return run_local(Ledger().plan(items), what, options, workers)
