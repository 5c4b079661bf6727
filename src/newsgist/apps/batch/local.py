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
  A record that takes longer than its time budget (``--record-timeout``, 30 s) is an
  error line with code ``timeout``, and the batch goes on.

Every input record ends as exactly one line in one of the two files. An error line
with ``line`` is keyed by its line number, every other line by its id; ``--resume``
skips the keys already present. Lines are written in input order. Writing the files
and resuming are in :mod:`newsgist.apps.cli.batch`; the Ray engine in
:mod:`newsgist.apps.batch.ray_engine`.
"""
from __future__ import annotations

import os
import sys
from collections import deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from newsgist.errors import NewsgistError, ProcessingTimeout, TooLargeError
from newsgist.reading.inputs import decode
from newsgist.options import Options
from newsgist.threads import pin_blas_threads
from newsgist.apps.batch.records import (DIR_EXTENSIONS, GZIP_MAGIC, BatchError, Item, Result,  # noqa: F401
                                         _error, _open_binary, chunks, item_from_record, iter_dir, iter_input,
                                         iter_jsonl, list_dir, parse_line, read_capped)

WHATS = ("highlights", "card")
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
#: Default time budget of one record (``--record-timeout``), in seconds: CNN articles take
#: well under 2 s for a card on one core; the slow shapes of issue 17 took minutes.
DEFAULT_RECORD_TIMEOUT_S = 30.0
#: After the budget, SIGALRM fires again this often until the record has stopped (a
#: handler in library code could catch the first one).
TIMEOUT_REFIRE_S = 1.0


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


class _RecordDeadline(BaseException):
    """Raised by SIGALRM when a record's time budget is spent (a BaseException, so a stage's
    ``except Exception`` cannot swallow it)."""


def _on_alarm(signum, frame):
    raise _RecordDeadline()


def _alarm_usable() -> bool:
    import signal
    import threading
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class _ThreadDeadline:
    """The budget off the main thread (a Ray actor runs its batches on another thread):
    a timer raises :class:`_RecordDeadline` in this thread (CPython's
    ``PyThreadState_SetAsyncExc``, seen at the next Python line, like a signal)."""

    def __init__(self, timeout: float):
        import ctypes
        import threading
        self._set = ctypes.pythonapi.PyThreadState_SetAsyncExc
        self._tid, self._lock, self.done, self.fired = threading.get_ident(), threading.Lock(), False, False
        self._timer = threading.Timer(timeout, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        import ctypes
        with self._lock:
            if not self.done:
                self.fired = True
                self._set(ctypes.c_ulong(self._tid), ctypes.py_object(_RecordDeadline))

    def cancel(self) -> None:
        import ctypes
        with self._lock:
            self.done = True
            self._timer.cancel()
            if self.fired:   # raised already, or still pending: clear a pending one
                self._set(ctypes.c_ulong(self._tid), ctypes.c_void_p(0))


def process_item(item, what: str, options: Options, timeout: Optional[float] = None) -> Result:
    """Read one record; never raises (failures become error results).

    ``timeout`` (seconds): past it the record ends as a ``timeout`` error. It is enforced
    with SIGALRM on the main thread of a process (the local engine), with an asynchronous
    exception from a timer thread on any other (Ray actors); either way a record inside
    one long C call stops when the call returns.
    """
    if isinstance(item, Result):
        return item
    if item.kind == "invalid":
        return _error(item.id, "bad_record", item.payload)
    budget = bool(timeout) and timeout > 0
    alarm = budget and _alarm_usable()
    previous = watch = None
    try:
        if alarm:   # inside the try: a tiny budget can fire before the next line
            import signal
            previous = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout, TIMEOUT_REFIRE_S)
        elif budget:
            watch = _ThreadDeadline(timeout)
        from newsgist.api import read
        article = read(_source(item, options), options, highlights_only=(what == "highlights"))
        if what == "card":
            return Result(item.id, True, card=article.to_dict())
        return Result(item.id, True, highlights=[h.text for h in article.highlights])
    except _RecordDeadline:
        exc = ProcessingTimeout(f"reading the record took longer than its {timeout:g} s budget (--record-timeout)")
        return _error(item.id, exc.code, exc.message)
    except NewsgistError as exc:
        return _error(item.id, exc.code, exc.message)
    except Exception as exc:  # a bug in a stage: one record fails, the batch goes on
        return _error(item.id, INTERNAL_CODE, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if previous is not None:
                signal.signal(signal.SIGALRM, previous)
        if watch is not None:
            watch.cancel()


#: Read once per worker before the first record, so that loading the models (the ranker,
#: spaCy for cards) is not charged to the first record's time budget.
WARMUP_TEXT = ("LONDON (CNN) -- The city council approved a budget of $12 million on Monday, officials said. "
               "\"This is a good day for the city,\" Mayor Jane Smith said. The plan adds 40 buses.")


def warm_up(what: str) -> None:
    """Load what the pipeline needs once per worker process (spaCy for cards)."""
    from newsgist.api import read
    if what == "card":
        from newsgist.card.nlp import load_nlp
        load_nlp()
    try:
        read(WARMUP_TEXT, highlights_only=(what == "highlights"))
    except NewsgistError:   # a broken stage or model: every record will say so in its error line
        pass


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


def _start_method(mp) -> str:
    """Fork where the platform has it, except in a process with a live Ray runtime (a
    driver that also ran ``--engine ray``, as the Ray tests do): a forked child inherits
    Ray's threads and connections, and its exit crashed the local raylet (Ray 2.60: "Check
    failed: binary.size() == T::Size()"), so workers are spawned there."""
    ray = sys.modules.get("ray")
    if ray is not None and getattr(ray, "is_initialized", lambda: False)():
        return "spawn"
    return "fork" if "fork" in mp.get_all_start_methods() else "spawn"


def _init_worker(what: str, options: Options, parent: int, timeout: Optional[float] = None) -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's: it stops and closes cleanly
    _exit_with_parent(parent)
    _WORKER.update(what=what, options=options, timeout=timeout)
    warm_up(what)


def _process_chunk(chunk: list) -> list[Result]:
    if _WORKER["what"] == "card":
        _parse_ahead(chunk, _WORKER["options"])
    return [process_item(it, _WORKER["what"], _WORKER["options"], _WORKER["timeout"]) for it in chunk]


def _parse_ahead(chunk: list, options: Options) -> None:
    """Cards: parse the chunk's article bodies together (spaCy's ``nlp.pipe``, card/stage.py
    ``parse_ahead``); each record then runs as usual, its ``analyse`` stage taking the parse.
    A record that fails here is left to :func:`process_item`, which reports it."""
    import newsgist.plugins  # noqa: F401  (the stages, registered)
    from newsgist.card.stage import parse_ahead, parse_text
    from newsgist.options import english_applies
    from newsgist.pipeline import run, stages_named
    from newsgist.reading.load import article_from_source
    if not (options.quotes or options.entities or options.figures):
        return
    bodies = []
    for it in chunk:
        if isinstance(it, Result) or it.kind in ("invalid", "url"):
            continue
        try:
            art = run(article_from_source(_source(it, options)), options, stages_named("clean", "language", "segment"))
        except Exception:  # noqa: BLE001  (process_item reads it again and says what went wrong)
            continue
        if english_applies(art.meta):
            bodies.append(parse_text(art))
    parse_ahead(bodies)


def run_local(planned: Iterable, what: str, options: Options, workers: int = 1,
              record_timeout: Optional[float] = DEFAULT_RECORD_TIMEOUT_S) -> Iterator[Result]:
    """Process planned items in input order; ``workers`` > 1 uses a process pool; a record
    past ``record_timeout`` seconds (None or 0: no budget) ends as a ``timeout`` error.

    At most ``workers * CHUNKS_IN_FLIGHT_PER_WORKER`` chunks of ``CHUNK_SIZE`` records
    are in flight, so memory stays flat whatever the corpus size. With one worker
    the records are processed in this process.

    With ``options.generator == "llm"`` at most ``options.llm_concurrency`` workers run
    (one LLM call each at a time: the limit on calls in flight), and a record's budget
    grows by ``options.llm_timeout`` (waiting for the endpoint is not the record's own
    work); a failed LLM call is that record's ``llm_*`` error line, and the batch goes on.
    """
    pin_blas_threads()
    workers, record_timeout = llm_bounds(options, workers, record_timeout)
    if workers <= 1:
        warm_up(what)
        for chunk in chunks(planned, CHUNK_SIZE):
            if what == "card":
                _parse_ahead(chunk, options)
            for it in chunk:
                yield process_item(it, what, options, record_timeout)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    ctx = mp.get_context(_start_method(mp))
    window = workers * CHUNKS_IN_FLIGHT_PER_WORKER
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(what, options, os.getpid(), record_timeout))
    pending: deque = deque()
    try:
        for chunk in chunks(planned, CHUNK_SIZE):
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


def llm_bounds(options: Options, workers: int, record_timeout: Optional[float]) -> tuple[int, Optional[float]]:
    """Workers and record budget of a batch (both engines): with ``generator == "llm"``
    at most ``llm_concurrency`` workers (one LLM call each: the cap on calls in flight),
    and each record gets ``llm_timeout`` more (waiting for the endpoint is not its work)."""
    if options.generator != "llm":
        return workers, record_timeout
    return min(workers, options.llm_concurrency), record_timeout and record_timeout + options.llm_timeout


def batch(records: Iterable, options: Options | None = None, *, what: str = "highlights",
          workers: int = 1, record_timeout: Optional[float] = DEFAULT_RECORD_TIMEOUT_S) -> Iterator[Result]:
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
    return run_local(Ledger().plan(items), what, options, workers, record_timeout)
