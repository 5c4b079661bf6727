"""The worker side of the HTTP service (:mod:`newsgist.apps.service.app`).

:class:`Settings` (the server limits), the service's own errors and the worker side
(:func:`worker_main`, the loop of a spawned worker process, and :func:`process_job`,
one request's pipeline). The scheduler that feeds the workers is
:class:`newsgist.apps.service.pool.Engine`. Nothing here imports FastAPI, so the
spawned workers do not load it. The limits and their behaviour are described in
:mod:`newsgist.apps.service.app`.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, fields
from typing import Any, Optional

from newsgist.errors import NewsgistError, ProcessingTimeout, TooLargeError  # noqa: F401 (re-exported)
from newsgist.reading.inputs import MAX_INPUT_BYTES

log = logging.getLogger("newsgist.apps.service.app")

#: Request bodies above this are refused (413): the 8 MB input plus JSON escaping.
DEFAULT_MAX_BODY_BYTES = 10_000_000
#: Longest text /v1/card parses with spaCy (~80 us a character on one core).
DEFAULT_MAX_CARD_CHARS = 100_000
DEFAULT_REQUEST_TIMEOUT_S = 20.0
DEFAULT_FETCH_TIMEOUT_S = 10.0
#: The LLM's answer (generator "llm") may take this long; a request also stops at its own deadline.
DEFAULT_LLM_TIMEOUT_S = 15.0
DEFAULT_MAX_FETCH_BYTES = 5_000_000
#: Default worker processes: one a core, at most this many (each holds ~250 MB of models).
MAX_DEFAULT_WORKERS = 4
#: Requests allowed to wait for a worker, per worker, before 503s are immediate.
QUEUE_PER_WORKER = 64
#: Requests one client (IP address) may have in flight (running or waiting); more get a 429.
#: Four lets a browser tab or a small script work in parallel, while five attackers
#: together can hold at most 20 places in a queue of 128.
DEFAULT_MAX_CLIENT_REQUESTS = 4
#: Worker processes kept apart for heavy jobs (large inputs, jobs that ran long, jobs of
#: clients whose jobs ran long), in addition to ``workers``; they run at HEAVY_NICE.
DEFAULT_HEAVY_WORKERS = 1
#: A job that has used this many CPU seconds on a normal worker is stopped there and moved
#: to the heavy workers (it starts again there). CPU, not wall time: on a loaded machine
#: the wall clock of a normal card stretches. Cards of the first 60 CNN validation
#: articles take p50 0.25 s, max 1.2 s wall on this shared 2-core machine (load ~3.5),
#: well under 1 CPU second. 0.5 s: with 1 s, five new attackers' first slow jobs held the
#: normal workers long enough to put the normal clients' p99 at 1.35 s on a quiet machine;
#: with 0.5 s it was 0.98 s (benchmarks/bench_attack.py, BENCHMARKS.md); a normal card
#: that passes it is restarted on a heavy worker, not refused.
DEFAULT_LONG_JOB_S = 0.5
#: Inputs above these sizes (characters of text) go to the heavy workers from the start
#: (apps/service/admission.py also sends pathological shapes there): the longest of the
#: 1,500 CNN validation and test articles has 10,686 characters (median ~3,400); a card
#: of 15,000 (1.4x that) costs ~1 CPU s, a normal one ~0.2 s (issue 32: with 30,000, the
#: 13 kB and 20 kB attack cards ran on the normal workers until moved); highlights are
#: ~30x cheaper than a card.
DEFAULT_HEAVY_CARD_CHARS = 15_000
DEFAULT_HEAVY_HIGHLIGHTS_CHARS = 300_000
#: Heavy jobs one client may have in flight (running or waiting for a heavy worker); more
#: get a 429 at once. A client counted as heavy has this cap for all its requests, so its
#: extra requests are refused before their bodies are read. One: a slow client's jobs run
#: one after the other, and five of them cannot fill the heavy queue.
DEFAULT_MAX_CLIENT_HEAVY = 1
#: Jobs allowed to wait for a heavy worker, per heavy worker; more get a 503 at once.
HEAVY_QUEUE_PER_WORKER = 8
#: A worker whose RSS has grown past this multiple of its RSS when it became ready is
#: replaced after its job (a fresh one loads the models again; the heap a big parse
#: leaves fragmented, and spaCy's string store, do not shrink otherwise).
DEFAULT_WORKER_RSS_FACTOR = 1.5
#: ... and a worker that ran a heavy job (on the heavy lane, or stopped) is replaced once
#: it has been idle IDLE_RECYCLE_S (``idle_recycle_s``) with its RSS past this multiple, so the server returns
#: to its baseline after an attack (issue 32: within 10 %; a worker is ~1/3 of the total).
#: One second: a fresh worker takes a few seconds to load its models (at idle priority),
#: and the server should be back to its baseline well within 10 s of the last heavy job.
DEFAULT_IDLE_RSS_FACTOR = 1.15
IDLE_RECYCLE_S = 1.0
#: Seconds a client counts as heavy after one of its jobs ran long or timed out.
HEAVY_CLIENT_MEMORY_S = 60.0
#: Half-life (s) of a client's recorded worker time, which orders the waiting jobs
#: (least recent use first).
USAGE_HALF_LIFE_S = 30.0
#: Niceness of heavy worker processes: they get the CPU the normal workers leave. Where
#: Linux allows it they also run in the SCHED_IDLE class (``heavy_idle_class``) once their
#: models are loaded: CPU only when nothing else wants it -- nice alone still gives a heavy
#: worker ~10 % of a core the normal workers want (issue 32). The price: on a saturated
#: machine heavy jobs may wait out their deadline (503/504), which is what they are for.
HEAVY_NICE = 10
#: After a job on an input this long (characters), a worker frees what it can and hands the
#: freed heap back to the system (malloc_trim), so a big parse does not leave its RSS high;
#: a heavy worker does it after every job (issue 32: a 13 kB attack card left +34 MiB, a
#: 52 kB one +135 MiB before the trim and +0 after; the trim costs ~40 ms of CPU).
TRIM_AFTER_CHARS = 20_000
MAX_CONCURRENT_FETCHES = 16
#: Seconds a worker gets to stop a job it was told to stop (at its deadline, or to move it)
#: before it is killed and replaced: a job stuck in C code (a long spaCy parse) does not
#: see the stop signal until it returns to Python.
DEADLINE_GRACE_S = 2.0
#: Seconds allowed for the workers to start and load their models.
STARTUP_TIMEOUT_S = 180.0
#: Seconds allowed for the workers to finish at shutdown (jobs stop at their deadline anyway).
SHUTDOWN_TIMEOUT_S = 30.0
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
    max_client_requests: int = DEFAULT_MAX_CLIENT_REQUESTS   # in flight per client IP; more: 429
    heavy_workers: int = DEFAULT_HEAVY_WORKERS   # 0: one lane for every job
    long_job_s: float = DEFAULT_LONG_JOB_S
    max_client_heavy: int = DEFAULT_MAX_CLIENT_HEAVY   # heavy jobs in flight per client; more: 429
    max_heavy_queue: Optional[int] = None  # None: HEAVY_QUEUE_PER_WORKER * heavy_workers; more: 503
    heavy_idle_class: bool = True          # heavy workers in SCHED_IDLE (Linux) as well as niced
    worker_rss_factor: float = DEFAULT_WORKER_RSS_FACTOR   # a worker past this x its warm RSS is replaced
    idle_rss_factor: float = DEFAULT_IDLE_RSS_FACTOR       # ... an idle one that ran heavy jobs past this
    idle_recycle_s: float = IDLE_RECYCLE_S                 # ... idle this long
    heavy_card_chars: int = DEFAULT_HEAVY_CARD_CHARS
    heavy_highlights_chars: int = DEFAULT_HEAVY_HIGHLIGHTS_CHARS
    client_ip_header: Optional[str] = None  # behind a trusted proxy: e.g. "X-Forwarded-For"
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT_S
    max_fetch_bytes: int = DEFAULT_MAX_FETCH_BYTES
    allow_private_hosts: bool = False      # URL input may reach loopback/private hosts (tests only)
    # generator "llm" (a request's options may ask for it): the endpoint is the server's, never a
    # client's (an HTTP client may not point the server at a host); None: requests for it get a 422
    llm_url: Optional[str] = None
    llm_model: Optional[str] = None
    llm_timeout: float = DEFAULT_LLM_TIMEOUT_S   # also cut to what is left of request_timeout

    def __post_init__(self):
        if self.pool not in ("process", "thread"):
            raise ValueError(f"pool must be 'process' or 'thread', got {self.pool!r}")
        if self.workers < 1 or self.request_timeout <= 0 or self.max_body_bytes < 1:
            raise ValueError("workers, request_timeout and max_body_bytes must be positive")
        if self.max_client_requests < 1 or self.heavy_workers < 0 or self.long_job_s <= 0:
            raise ValueError("max_client_requests and long_job_s must be positive, heavy_workers >= 0")
        if self.llm_url is not None and not str(self.llm_url).startswith(("http://", "https://")):
            raise ValueError(f"llm_url must be an http(s) URL, got {self.llm_url!r}")
        if self.llm_timeout <= 0:
            raise ValueError("llm_timeout must be positive")
        if self.max_client_heavy < 1 or self.worker_rss_factor <= 1 or self.idle_rss_factor <= 1:
            raise ValueError("max_client_heavy must be positive, worker_rss_factor and idle_rss_factor over 1")
        if self.max_queue is None:
            self.max_queue = QUEUE_PER_WORKER * self.workers
        if self.max_heavy_queue is None:
            self.max_heavy_queue = HEAVY_QUEUE_PER_WORKER * max(1, self.heavy_workers)

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


class TooManyRequests(NewsgistError):
    """One client has more requests in flight than ``max_client_requests``."""
    code = "too_many_requests"
    http_status = 429


class ValidationFailed(NewsgistError):
    code = "validation_error"
    http_status = 422


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


# --- worker side (a spawned process, or a thread in "thread" mode) ---------------------

class _Stop(BaseException):
    """Raised by SIGUSR1 in a worker process: the server stops the running job (its
    deadline passed, or it moves to a heavy worker). A BaseException so library code
    cannot swallow it."""


_RUNNING = False    # a job is running in this worker process: SIGUSR1 stops it
#: Status a worker answers for a job it stopped on the server's signal.
STOPPED = 0


def _on_stop(signum, frame):
    if _RUNNING:
        raise _Stop()


def _exit_with_parent(ppid: int) -> None:
    """End the worker once the server process is gone (killed with -9, for one)."""
    while os.getppid() == ppid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def init_worker(warm: bool = True) -> None:
    """Load the models once and run one tiny article through the full card."""
    if not warm:
        return
    from newsgist.card.nlp import load_nlp
    from newsgist.api import read
    load_nlp()
    read(WARMUP_ARTICLE)


def worker_main(conn, nice: int = 0, warm: bool = True, target=None, idle_class: bool = False) -> None:
    """The loop of a worker process: ``(status, bytes) = target(job)`` for each job received.

    Answers ``("ready", pid)`` once warm, then one ``(status, bytes)`` per job;
    :data:`STOPPED` for a job stopped by SIGUSR1. Ends on ``None`` or a closed pipe.
    ``nice`` (heavy workers) lowers its priority and has it trim its heap after every job
    (before answering); ``idle_class`` also puts it in the SCHED_IDLE class, where the
    system allows, once its models are loaded.
    """
    global _RUNNING
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # the server handles Ctrl+C
    signal.signal(signal.SIGUSR1, _on_stop)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    if nice:
        os.nice(nice)
    target = target or process_job
    init_worker(warm)
    if idle_class and hasattr(os, "SCHED_IDLE"):   # after loading the models: a start-up never starves
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except OSError:   # not allowed here: nice alone
            pass
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            _RUNNING = True
            try:
                result = target(job)
            finally:
                _RUNNING = False
        except _Stop:
            result = (STOPPED, b"")
        if nice:   # a heavy worker frees what it can after every job, before answering: the
            _trim_heap()   # server reads the RSS it is left with (issue 32); ~40 ms
        conn.send(result)
        if not nice and len(job.get("text") or "") > TRIM_AFTER_CHARS:
            _trim_heap()


def _trim_heap() -> None:
    import ctypes
    import gc
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc
        pass


def worker_pid() -> int:
    return os.getpid()


def _article(job: dict):
    """The job's input as an Article (HTML through main-text extraction), no stage run yet."""
    from newsgist.reading.inputs import Source, from_text
    from newsgist.reading.load import article_from_source
    if job["kind"] == "text":
        src = from_text(job["text"])
    else:
        src = Source(text=job["text"], kind=job["kind"], name=job.get("name"),
                     encoding=job.get("encoding") or "utf-8", html=job.get("html"))
    return article_from_source(src)


def _card(job: dict) -> dict:
    """The card (or the highlights) of a job; with ``summary`` the check of it (/v1/check)."""
    from newsgist.options import Options
    from newsgist.pipeline import run, stages_named
    if job.get("story") is not None:  # POST /v1/story (apps/service/story_route.py)
        from newsgist.apps.service.story_job import story_job
        return story_job(job)
    options = Options.from_dict(job["options"])
    article = _article(job)
    if job.get("summary") is not None:
        from newsgist.api import check
        result = check(run(article, options, stages_named("clean", "segment")), job["summary"], options)
    else:
        if not job["highlights_only"] and len(article.source) > job["max_card_chars"]:
            raise TooLargeError(f"the article text has {len(article.source):,} characters; /v1/card parses at most "
                                f"{job['max_card_chars']:,} (use /v1/highlights for longer texts)")
        result = run(article, options, highlights_only=job["highlights_only"]).to_dict()
    if job["kind"] != "text" or article.source != job["text"]:
        result["source_text"] = article.source
    return result


def process_job(job: dict) -> tuple[int, bytes]:
    """Run one request's pipeline; returns ``(http status, JSON bytes)``; raises only :class:`_Stop`."""
    try:
        return 200, _dumps(_card(job))
    except NewsgistError as exc:
        return exc.http_status, _dumps(error_body(exc.code, exc.message))
    except Exception as exc:  # a bug: log it here, answer a clean 500
        log.exception("unexpected error in worker")
        return 500, _dumps(error_body("internal_error", f"internal error ({type(exc).__name__})"))


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
