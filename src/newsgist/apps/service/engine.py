"""The worker pool behind the HTTP service (:mod:`newsgist.apps.service.app`).

:class:`Settings` (the server limits), the service's own errors, the worker side
(:func:`init_worker`, :func:`process_job`: run in a spawned process, or a thread in
``pool="thread"`` mode) and :class:`Engine`, the bounded pool with its admission
control. Nothing here imports FastAPI, so the spawned workers do not load it.
The limits and their behaviour are described in :mod:`newsgist.apps.service.app`.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields
from typing import Any, Optional

from newsgist.errors import NewsgistError, TooLargeError
from newsgist.reading.inputs import MAX_INPUT_BYTES

log = logging.getLogger("newsgist.apps.service.app")

#: Request bodies above this are refused (413): the 8 MB input plus JSON escaping.
DEFAULT_MAX_BODY_BYTES = 10_000_000
#: Longest text /v1/card parses with spaCy (~80 us a character on one core).
DEFAULT_MAX_CARD_CHARS = 100_000
DEFAULT_REQUEST_TIMEOUT_S = 20.0
DEFAULT_FETCH_TIMEOUT_S = 10.0
DEFAULT_MAX_FETCH_BYTES = 5_000_000
#: Default worker processes: one a core, at most this many (each holds ~250 MB of models).
MAX_DEFAULT_WORKERS = 4
#: Requests allowed to wait for a worker, per worker, before 503s are immediate.
QUEUE_PER_WORKER = 64
MAX_CONCURRENT_FETCHES = 16
#: Seconds the server waits past the deadline for a worker that stops itself.
DEADLINE_GRACE_S = 2.0
#: Seconds allowed for the workers to start and load their models.
STARTUP_TIMEOUT_S = 180.0
#: Seconds allowed for the workers to finish at shutdown (jobs stop at their deadline anyway).
SHUTDOWN_TIMEOUT_S = 30.0
#: Jobs handed to the pool per worker: the second waits in the pool's queue, so a worker
#: picks up its next job at once instead of after a round trip through the event loop.
JOBS_PER_WORKER = 2
#: How often a worker process checks that the server process is still alive.
PARENT_CHECK_S = 2.0
#: A tiny article run through the full card once per worker, so the first request is not slow.
WARMUP_ARTICLE = ("LONDON (CNN) -- The city council approved a budget of $12 million on Monday, "
                  "officials said. \"This is a good day for the city,\" Mayor Jane Smith said. "
                  "The plan adds 40 buses and 3 new routes.")


# --- settings and errors ------------------------------------------------------------

def _env_bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Settings:
    """Server limits; see the module docstring. ``from_env`` reads ``NEWSGIST_<NAME>``."""
    workers: int = max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))
    pool: str = "process"                  # "process" (default) or "thread" (tests, embedding)
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT_S
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_input_bytes: int = MAX_INPUT_BYTES
    max_card_chars: int = DEFAULT_MAX_CARD_CHARS
    max_queue: Optional[int] = None        # None: QUEUE_PER_WORKER * workers
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT_S
    max_fetch_bytes: int = DEFAULT_MAX_FETCH_BYTES
    allow_private_hosts: bool = False      # URL input may reach loopback/private hosts (tests only)

    def __post_init__(self):
        if self.pool not in ("process", "thread"):
            raise ValueError(f"pool must be 'process' or 'thread', got {self.pool!r}")
        if self.workers < 1 or self.request_timeout <= 0 or self.max_body_bytes < 1:
            raise ValueError("workers, request_timeout and max_body_bytes must be positive")
        if self.max_queue is None:
            self.max_queue = QUEUE_PER_WORKER * self.workers

    @classmethod
    def from_env(cls, environ=os.environ, **overrides) -> "Settings":
        """Defaults, then ``NEWSGIST_<FIELD>`` variables, then non-None ``overrides``."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"NEWSGIST_{f.name.upper()}")
            if raw is not None and raw.strip():
                kind = str(f.type)
                values[f.name] = (_env_bool(raw) if "bool" in kind else int(raw) if "int" in kind
                                  else float(raw) if "float" in kind else raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class Overloaded(NewsgistError):
    """No worker became free in time, or too many requests are waiting."""
    code = "overloaded"
    http_status = 503


class WorkerLost(Overloaded):
    """A worker process died (killed, out of memory); the pool is being restarted."""
    code = "worker_lost"


class ProcessingTimeout(NewsgistError):
    """The pipeline did not finish within the request's time budget."""
    code = "timeout"
    http_status = 504


class ValidationFailed(NewsgistError):
    code = "validation_error"
    http_status = 422


class _Deadline(BaseException):
    """Raised by SIGALRM in a worker; a BaseException so library code cannot swallow it."""


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


# --- worker side (runs in the pool: a process, or a thread in "thread" mode) ---------

_ALARM = False   # SIGALRM deadline installed in this worker process


def _on_alarm(signum, frame):
    raise _Deadline()


def _exit_with_parent(ppid: int) -> None:
    """Worker processes hold each other's queue pipes open, so they would outlive a
    killed server; this thread ends the worker once its parent is gone."""
    while os.getppid() == ppid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def init_worker(use_alarm: bool = False) -> None:
    """Load the models once and run one tiny article through the full card."""
    global _ALARM
    if use_alarm and threading.current_thread() is threading.main_thread():   # a worker process
        signal.signal(signal.SIGINT, signal.SIG_IGN)       # the server handles Ctrl+C
        signal.signal(signal.SIGALRM, _on_alarm)
        _ALARM = True
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from newsgist.card.nlp import load_nlp
    from newsgist.api import read
    load_nlp()
    read(WARMUP_ARTICLE)


def worker_pid() -> int:
    return os.getpid()


def _card(job: dict) -> dict:
    from newsgist.reading.inputs import Source, from_text
    from newsgist.options import Options
    from newsgist.pipeline import run
    from newsgist.reading.load import article_from_source
    options = Options.from_dict(job["options"])
    if job["kind"] == "text":
        src = from_text(job["text"])
    else:
        src = Source(text=job["text"], kind=job["kind"], name=job.get("name"),
                     encoding=job.get("encoding") or "utf-8", html=job.get("html"))
    article = article_from_source(src)
    if not job["highlights_only"] and len(article.source) > job["max_card_chars"]:
        raise TooLargeError(f"the article text has {len(article.source):,} characters; /v1/card parses at most "
                            f"{job['max_card_chars']:,} (use /v1/highlights for longer texts)")
    article = run(article, options, highlights_only=job["highlights_only"])
    card = article.to_dict()
    if job["kind"] != "text" or article.source != job["text"]:
        card["source_text"] = article.source
    return card


def process_job(job: dict) -> tuple[int, bytes]:
    """Run one request's pipeline; returns ``(http status, JSON bytes)`` and never raises."""
    if _ALARM:
        remaining = job["deadline"] - time.time()
        if remaining <= 0:
            return 503, _dumps(error_body(Overloaded.code, "no worker became free within the request time budget"))
        signal.setitimer(signal.ITIMER_REAL, remaining, 1.0)   # re-fires each second until cleared
    try:
        return 200, _dumps(_card(job))
    except _Deadline:
        return 504, _dumps(error_body(ProcessingTimeout.code, "processing took longer than the request time budget"))
    except NewsgistError as exc:
        return exc.http_status, _dumps(error_body(exc.code, exc.message))
    except Exception as exc:  # a bug: log it here, answer a clean 500
        log.exception("unexpected error in worker")
        return 500, _dumps(error_body("internal_error", f"internal error ({type(exc).__name__})"))
    finally:
        if _ALARM:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- server side: the bounded pool --------------------------------------------------

class Engine:
    """The worker pool plus the admission control in front of it."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.executor: Optional[Executor] = None
        self.ready = False
        self.busy = 0
        self.waiting = 0
        self.pids: list[int] = []
        self._slots: Optional[asyncio.Semaphore] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self.fetch_slots: Optional[asyncio.Semaphore] = None
        self.fetcher: Optional[ThreadPoolExecutor] = None   # URL fetches (blocking I/O)
        self._restarting: Optional[asyncio.Task] = None

    def _make_executor(self) -> Executor:
        n = self.settings.workers
        if self.settings.pool == "thread":
            return ThreadPoolExecutor(n, thread_name_prefix="newsgist-worker")
        import multiprocessing
        return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker, initargs=(True,))

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the models."""
        self._loop = asyncio.get_running_loop()
        if self._slots is None:   # kept across a restart: jobs of the old pool release theirs
            self._slots = asyncio.Semaphore(self._capacity())
            self.fetch_slots = asyncio.Semaphore(MAX_CONCURRENT_FETCHES)
        if self.fetcher is None:
            self.fetcher = ThreadPoolExecutor(MAX_CONCURRENT_FETCHES, thread_name_prefix="newsgist-fetch")
        self.executor = self._make_executor()
        t0 = time.perf_counter()
        if self.settings.pool == "thread":
            await asyncio.to_thread(init_worker)
            self.pids = [os.getpid()]
        else:
            futs = [asyncio.wrap_future(self.executor.submit(worker_pid)) for _ in range(self.settings.workers)]
            self.pids = sorted(set(await asyncio.wait_for(asyncio.gather(*futs), STARTUP_TIMEOUT_S)))
        self.ready = True
        log.info("newsgist service ready: %d %s worker(s) in %.1f s", self.settings.workers,
                 self.settings.pool, time.perf_counter() - t0)

    def _capacity(self) -> int:
        return self.settings.workers * (JOBS_PER_WORKER if self.settings.pool == "process" else 1)

    async def stop(self) -> None:
        self.ready = False
        if self.fetcher is not None:
            self.fetcher.shutdown(wait=False, cancel_futures=True)
            self.fetcher = None
        executor, self.executor = self.executor, None
        if executor is not None:
            try:
                await asyncio.wait_for(asyncio.to_thread(executor.shutdown, True, cancel_futures=True),
                                       SHUTDOWN_TIMEOUT_S)
            except asyncio.TimeoutError:
                log.warning("workers did not stop within %.0f s", SHUTDOWN_TIMEOUT_S)

    def _release(self, _fut=None) -> None:
        def done():
            self.busy -= 1
            self._slots.release()
        try:
            self._loop.call_soon_threadsafe(done)
        except RuntimeError:   # the loop is closed: shutting down
            pass

    async def run(self, job: dict, deadline: float) -> tuple[int, bytes]:
        """Run ``job`` on a worker within ``deadline`` (``time.monotonic``)."""
        if not self.ready or self.executor is None:
            raise Overloaded("the service is starting or restarting its workers; retry shortly")
        if self.waiting >= self.settings.max_queue:
            raise Overloaded(f"too many requests waiting ({self.waiting}); retry shortly")
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise Overloaded("no worker became free within the request time budget") from None
        finally:
            self.waiting -= 1
        self.busy += 1
        job["deadline"] = time.time() + (deadline - time.monotonic())
        try:
            cfut = self.executor.submit(process_job, job)
        except (BrokenProcessPool, RuntimeError) as exc:
            self._release()
            await self._restart(exc)
            raise WorkerLost("a worker process died; the pool is restarting, retry shortly") from None
        cfut.add_done_callback(self._release)
        fut = asyncio.wrap_future(cfut)
        fut.add_done_callback(lambda f: f.cancelled() or f.exception())   # no "never retrieved"
        try:
            return await asyncio.wait_for(asyncio.shield(fut), max(0.0, deadline - time.monotonic())
                                          + DEADLINE_GRACE_S)
        except asyncio.TimeoutError:
            raise ProcessingTimeout("processing took longer than the request time budget") from None
        except BrokenProcessPool as exc:
            await self._restart(exc)
            raise WorkerLost("a worker process died; the pool is restarting, retry shortly") from None

    async def _restart(self, exc: BaseException) -> None:
        if not self.ready:
            return
        log.error("worker pool broken (%s); restarting it", exc)
        self.ready = False
        old, self.executor = self.executor, None
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
        self._restarting = asyncio.get_running_loop().create_task(self.start())
