"""The scheduler of the HTTP service: worker processes in two lanes, fair queues, deadlines.

:class:`Engine` owns ``workers`` normal worker processes and ``heavy_workers`` heavy
ones (spawned, models loaded once; the heavy ones run at :data:`HEAVY_NICE`), one
thread each talking to its process over a pipe, and the admission control:

* **per client** (the peer IP, or the first address of ``client_ip_header`` behind a
  proxy) at most ``max_client_requests`` requests in flight; more get a 429
  ``too_many_requests`` at once;
* **fair queues**: a free worker takes the waiting job of the client with the least
  recent worker time (decayed with half-life :data:`USAGE_HALF_LIFE_S`), first come
  first served within a client; at most ``max_queue`` jobs wait (more: 503 at once);
* **lanes**: a job goes to the heavy workers when its input is large
  (``heavy_card_chars``/``heavy_highlights_chars``) or its client counts as heavy (one of
  its jobs ran long or timed out in the last :data:`HEAVY_CLIENT_MEMORY_S`); a job still
  running on a normal worker after ``long_job_s`` is stopped and queued again on the
  heavy workers (its client now counts as heavy). So slow requests, whoever sends them,
  share the heavy workers, and a normal worker is never held more than ``long_job_s``;
* **deadlines**: a job still waiting at its deadline gets a 503 ``overloaded``; one
  still running gets a 504 ``timeout`` at once, its worker gets SIGUSR1 (the job stops
  at the next Python line) and, if it has not stopped :data:`DEADLINE_GRACE_S` later
  (stuck in C code), SIGKILL; a worker that dies for any reason is replaced. So no
  request holds a worker past its deadline plus the grace.

``pool="thread"`` runs the jobs in threads of this process (one lane unless
``heavy_workers``; no stopping, moving or killing: for tests and embedding).
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from newsgist.apps.service.engine import (DEADLINE_GRACE_S, HEAVY_CLIENT_MEMORY_S, HEAVY_NICE,
                                          MAX_CONCURRENT_FETCHES, PARENT_CHECK_S, SHUTDOWN_TIMEOUT_S,
                                          STARTUP_TIMEOUT_S, STOPPED, USAGE_HALF_LIFE_S, Overloaded,
                                          ProcessingTimeout, Settings, TooManyRequests, WorkerLost, _dumps,
                                          error_body, init_worker, process_job, worker_main)

log = logging.getLogger("newsgist.apps.service.app")

LIGHT, HEAVY = "normal", "heavy"
#: Clients whose recorded use is kept; beyond it the ones with (nearly) none are forgotten.
MAX_TRACKED_CLIENTS = 10_000


class _Entry:
    """One request's job on its way through a lane."""
    __slots__ = ("job", "client", "lane", "deadline", "future", "seq", "worker", "moving", "timer",
                 "started")

    def __init__(self, job, client, lane, deadline, future, seq):
        self.job, self.client, self.lane, self.deadline, self.future, self.seq = \
            job, client, lane, deadline, future, seq
        self.worker: Optional[_Worker] = None
        self.moving = False
        self.timer = None
        self.started = 0.0

    def finish(self, result=None, error: Optional[BaseException] = None) -> None:
        if self.future.done():
            return
        if error is not None:
            self.future.set_exception(error)
        else:
            self.future.set_result(result)
        if self.timer is not None:
            self.timer.cancel()


class _Worker:
    """A worker process and the thread that feeds it (or, in thread mode, a thread)."""

    def __init__(self, engine: "Engine", lane: str):
        self.engine, self.lane = engine, lane
        self.inbox: queue.Queue = queue.Queue()
        self.entry: Optional[_Entry] = None
        self.pid: Optional[int] = None
        self.ready = self.dead = self.killed = False
        self.ready_future = engine._loop.create_future()
        self.timers: list = []

    def _call(self, fn, *args) -> None:
        try:
            self.engine._loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:   # the loop is closed: shutting down
            pass

    def serve(self) -> None:
        if self.engine.settings.pool == "thread":
            return self._serve_thread()
        proc = conn = None
        lost = False
        try:
            ctx = multiprocessing.get_context("spawn")
            conn, child = ctx.Pipe()
            nice = HEAVY_NICE if self.lane == HEAVY else 0
            proc = ctx.Process(target=worker_main, args=(child, nice, self.engine.warm, self.engine.target),
                               daemon=True, name=f"newsgist-{self.lane}")
            proc.start()
            child.close()
            if not conn.poll(STARTUP_TIMEOUT_S):
                raise EOFError("the worker did not start in time")
            _, pid = conn.recv()
            self._call(self.engine._worker_ready, self, pid)
            while True:
                try:
                    job = self.inbox.get(timeout=PARENT_CHECK_S)
                except queue.Empty:
                    if not proc.is_alive():
                        raise EOFError("the worker process is gone") from None
                    continue
                conn.send(job)
                if job is None:
                    break
                self._call(self.engine._finished, self, conn.recv())
        except Exception as exc:   # EOF, a broken pipe, a torn message: the worker is lost
            lost = True
            self._call(self.engine._worker_died, self, exc)
        finally:
            if proc is not None:
                if lost and proc.is_alive():
                    proc.kill()
                proc.join(SHUTDOWN_TIMEOUT_S)
                if proc.is_alive():
                    proc.kill()
                    proc.join(1.0)
            if conn is not None:
                conn.close()

    def _serve_thread(self) -> None:
        target = self.engine.target or process_job
        self._call(self.engine._worker_ready, self, os.getpid())
        while (job := self.inbox.get()) is not None:
            try:
                result = target(job)
            except Exception as exc:   # process_job never raises; a test target might
                result = (500, _dumps(error_body("internal_error", f"internal error ({type(exc).__name__})")))
            self._call(self.engine._finished, self, result)


class Engine:
    """The worker lanes plus the admission control in front of them."""

    def __init__(self, settings: Settings, target=None, warm: bool = True):
        self.settings, self.target, self.warm = settings, target, warm
        self.ready = self.closing = False
        self.lanes: dict[str, list[_Worker]] = {LIGHT: [], HEAVY: []}
        self.pending: dict[str, list[_Entry]] = {LIGHT: [], HEAVY: []}
        self.inflight: Counter = Counter()
        self.usage: dict[str, tuple[float, float]] = {}
        self.heavy_until: dict[str, float] = {}
        self.stats: Counter = Counter()
        self._seq = itertools.count()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._threads: list[threading.Thread] = []
        self.fetch_slots: Optional[asyncio.Semaphore] = None
        self.fetcher: Optional[ThreadPoolExecutor] = None   # URL fetches (blocking I/O)

    # --- state -----------------------------------------------------------------------
    @property
    def busy(self) -> int:
        return sum(w.entry is not None for lane in self.lanes.values() for w in lane)

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self.pending.values())

    @property
    def pids(self) -> list[int]:
        """Live worker pids, normal workers first."""
        return [w.pid for lane in (LIGHT, HEAVY) for w in self.lanes[lane] if w.pid and not w.dead]

    def describe(self) -> dict:
        return {lane: {"workers": len(ws), "busy": sum(w.entry is not None for w in ws),
                       "waiting": len(self.pending[lane])} for lane, ws in self.lanes.items()} | \
            {"stopped": self.stats["stopped"], "moved": self.stats["moved"], "killed": self.stats["killed"],
             "replaced": self.stats["replaced"]}

    # --- life cycle ------------------------------------------------------------------
    async def start(self) -> None:
        """Start the workers and wait until each has loaded the models."""
        self._loop = asyncio.get_running_loop()
        self.fetch_slots = asyncio.Semaphore(MAX_CONCURRENT_FETCHES)
        self.fetcher = ThreadPoolExecutor(MAX_CONCURRENT_FETCHES, thread_name_prefix="newsgist-fetch")
        t0 = time.perf_counter()
        if self.settings.pool == "thread" and self.warm:
            await asyncio.to_thread(init_worker)
        workers = [self._spawn(LIGHT) for _ in range(self.settings.workers)]
        workers += [self._spawn(HEAVY) for _ in range(self.settings.heavy_workers)]
        await asyncio.wait_for(asyncio.gather(*(w.ready_future for w in workers)), STARTUP_TIMEOUT_S)
        self.ready = True
        log.info("newsgist service ready: %d + %d heavy %s worker(s) in %.1f s", self.settings.workers,
                 self.settings.heavy_workers, self.settings.pool, time.perf_counter() - t0)

    def _spawn(self, lane: str) -> _Worker:
        w = _Worker(self, lane)
        self.lanes[lane].append(w)
        t = threading.Thread(target=w.serve, daemon=True, name=f"newsgist-{lane}-feed")
        self._threads = [x for x in self._threads if x.is_alive()] + [t]
        t.start()
        return w

    async def stop(self) -> None:
        self.ready, self.closing = False, True
        for q in self.pending.values():
            for e in q:
                e.finish(error=Overloaded("the service is shutting down"))
            q.clear()
        for lane in self.lanes.values():
            for w in lane:
                w.inbox.put(None)
        if self.fetcher is not None:
            self.fetcher.shutdown(wait=False, cancel_futures=True)
            self.fetcher = None
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT_S

        def join():
            for t in self._threads:
                t.join(max(0.0, deadline - time.monotonic()))
        await asyncio.to_thread(join)

    # --- requests --------------------------------------------------------------------
    async def run(self, job: dict, deadline: float, client: str = "-") -> tuple[int, bytes]:
        """Run ``job`` on a worker within ``deadline`` (``time.monotonic``) for ``client``."""
        s = self.settings
        if not self.ready:
            raise Overloaded("the service is starting or restarting its workers; retry shortly")
        if self.inflight[client] >= s.max_client_requests:
            raise TooManyRequests(f"this client already has {self.inflight[client]} requests in flight "
                                  f"(at most {s.max_client_requests}); retry when one has finished")
        if self.waiting >= s.max_queue:
            raise Overloaded(f"too many requests waiting ({self.waiting}); retry shortly")
        e = _Entry(job, client, self._lane_for(job, client), deadline, self._loop.create_future(),
                   next(self._seq))
        e.timer = self._loop.call_at(deadline, self._on_deadline, e)   # loop time is time.monotonic
        self.inflight[client] += 1
        self.pending[e.lane].append(e)
        self._pump(e.lane)
        try:
            return await e.future
        finally:
            self.inflight[client] -= 1
            if self.inflight[client] <= 0:
                del self.inflight[client]
            if e.worker is None and e in self.pending[e.lane]:   # cancelled while waiting
                self.pending[e.lane].remove(e)
                e.timer.cancel()

    def _lane_for(self, job: dict, client: str) -> str:
        if not self.settings.heavy_workers:
            return LIGHT
        if self.heavy_until.get(client, 0.0) > time.monotonic():
            return HEAVY
        limit = self.settings.heavy_highlights_chars if job.get("highlights_only") else self.settings.heavy_card_chars
        return HEAVY if len(job.get("text") or "") > limit else LIGHT

    def _usage(self, client: str, now: float) -> float:
        value, t = self.usage.get(client, (0.0, now))
        return value * 0.5 ** ((now - t) / USAGE_HALF_LIFE_S)

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self.usage[client] = (self._usage(client, now) + seconds, now)
        if len(self.usage) > MAX_TRACKED_CLIENTS:
            self.usage = {c: v for c, v in self.usage.items() if self._usage(c, now) > 0.01}
            self.heavy_until = {c: t for c, t in self.heavy_until.items() if t > now}

    def _mark_heavy(self, client: str) -> None:
        if self.settings.heavy_workers:
            self.heavy_until[client] = time.monotonic() + HEAVY_CLIENT_MEMORY_S

    def _pump(self, lane: str) -> None:
        """Hand waiting jobs to the free workers of ``lane``, least recent use first."""
        q = self.pending[lane]
        idle = [w for w in self.lanes[lane] if w.ready and not w.dead and w.entry is None]
        now = time.monotonic()
        while idle and q:
            e = min(q, key=lambda x: (self._usage(x.client, now), x.seq))
            q.remove(e)
            w = idle.pop()
            w.entry, e.worker, e.started = e, w, time.monotonic()
            w.inbox.put(e.job)
            if lane == LIGHT and self.settings.heavy_workers and self.settings.pool == "process":
                w.timers.append(self._loop.call_later(self.settings.long_job_s, self._on_long, w, e))

    # --- events (on the event loop) ----------------------------------------------------
    def _worker_ready(self, w: _Worker, pid: int) -> None:
        w.pid, w.ready = pid, True
        if not w.ready_future.done():
            w.ready_future.set_result(pid)
        self._pump(w.lane)

    def _on_long(self, w: _Worker, e: _Entry) -> None:
        """A job ran ``long_job_s`` on a normal worker: stop it there, run it on a heavy one."""
        if w.entry is e and not e.future.done():
            self._mark_heavy(e.client)
            e.moving = True
            self._stop(w, e)

    def _on_deadline(self, e: _Entry) -> None:
        if e.future.done():
            return
        if e.worker is None:
            if e in self.pending[e.lane]:
                self.pending[e.lane].remove(e)
            e.finish(error=Overloaded("no worker became free within the request time budget"))
            return
        e.finish(error=ProcessingTimeout("processing took longer than the request time budget"))
        self._mark_heavy(e.client)
        if e.worker.entry is e:
            self._stop(e.worker, e)

    def _stop(self, w: _Worker, e: _Entry) -> None:
        """SIGUSR1 now (the job stops at its next Python line), SIGKILL after the grace."""
        if self.settings.pool != "process" or w.pid is None:
            return
        try:
            os.kill(w.pid, signal.SIGUSR1)
        except ProcessLookupError:
            return
        w.timers.append(self._loop.call_later(DEADLINE_GRACE_S, self._kill, w, e))

    def _kill(self, w: _Worker, e: _Entry) -> None:
        if w.entry is e and not w.dead and w.pid is not None:
            log.warning("worker %d did not stop its job within %.1f s; killing it", w.pid, DEADLINE_GRACE_S)
            w.killed = True
            self.stats["killed"] += 1
            try:
                os.kill(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _release(self, w: _Worker) -> Optional[_Entry]:
        e, w.entry = w.entry, None
        for t in w.timers:
            t.cancel()
        w.timers.clear()
        if e is not None:
            self._charge(e.client, time.monotonic() - e.started)
            e.worker = None
        return e

    def _requeue_heavy(self, e: _Entry) -> None:
        self.stats["moved"] += 1
        e.moving, e.lane = False, HEAVY
        self.pending[HEAVY].append(e)
        self._pump(HEAVY)

    def _finished(self, w: _Worker, result: tuple[int, bytes]) -> None:
        e = self._release(w)
        if e is not None:
            if result[0] == STOPPED:
                self.stats["stopped"] += 1
                if e.moving and not e.future.done():
                    self._requeue_heavy(e)
            else:
                e.finish(result)
        self._pump(w.lane)

    def _worker_died(self, w: _Worker, exc: BaseException) -> None:
        w.dead = True
        if w in self.lanes[w.lane]:
            self.lanes[w.lane].remove(w)
        e = self._release(w)
        if e is not None:
            if e.moving and not e.future.done():
                self._requeue_heavy(e)
            else:
                e.finish(error=WorkerLost("a worker process died; it is being replaced, retry shortly"))
        if not w.ready_future.done():
            w.ready_future.set_exception(RuntimeError(f"a worker failed to start: {exc}"))
        if self.closing:
            return
        if not w.killed:
            log.error("worker %s lost (%s); replacing it", w.pid, exc)
        self.stats["replaced"] += 1
        self._spawn(w.lane)
