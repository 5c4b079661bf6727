"""The scheduler of the HTTP service: worker processes in two lanes, fair queues, deadlines.

:class:`Engine` owns ``workers`` normal worker processes and ``heavy_workers`` heavy
ones (spawned, models loaded once; the heavy ones run at :data:`HEAVY_NICE`), one
thread each talking to its process over a pipe, and the admission control:

* **per client** (the peer IP, or the first address of ``client_ip_header`` behind a
  proxy) at most ``max_client_requests`` requests in flight; more get a 429
  ``too_many_requests`` at once;
* **fair queues**: a free worker takes the waiting job of the client with the fewest jobs
  running in its lane, then the least recent worker time (half-life
  :data:`USAGE_HALF_LIFE_S`), then the oldest; at most ``max_queue`` wait (more: 503);
* **lanes** (:mod:`newsgist.apps.service.routing`): a job goes to the heavy workers at
  admission, before it runs, when its input is large (``heavy_card_chars`` /
  ``heavy_highlights_chars``) or its shape will be slow (the shape check of
  :mod:`newsgist.apps.service.admission`), or when its client counts as heavy (its jobs
  kept landing there, or one ran long, timed out or waited out its deadline for a heavy
  worker in the last :data:`HEAVY_CLIENT_MEMORY_S`); there a client has at most
  ``max_client_heavy`` jobs in flight (429) and at most ``max_heavy_queue`` wait (503).
  A normal job that has used its CPU budget (twice its expected cost, at least
  ``long_job_s``) on a normal worker is stopped and queued again on the heavy workers
  (its client now counts as heavy). Heavy workers are niced and, on Linux, SCHED_IDLE;
* **memory** (:mod:`newsgist.apps.service.recycle`): a worker grown past
  ``worker_rss_factor`` times its warm RSS is replaced between jobs, and so is one idle
  after heavy jobs past ``idle_rss_factor``;
* **deadlines**: a job still waiting at its deadline gets a 503 ``overloaded``; one
  still running gets a 504 ``timeout`` at once, its worker gets SIGUSR1 (the job stops
  at the next Python line) and, if it has not stopped :data:`DEADLINE_GRACE_S` later
  (stuck in C code), SIGKILL; a worker that dies for any reason is replaced. So no
  request holds a worker past its deadline plus the grace.

What was moved, stopped, killed, refused, replaced and why: :meth:`Engine.describe`
(``lanes`` of ``/healthz``; ``why`` has the reasons). ``pool="thread"`` runs the jobs
in threads of this process (one lane unless ``heavy_workers``; no stopping, moving,
killing or replacing: for tests and embedding).
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import signal
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from newsgist.apps.service.engine import (DEADLINE_GRACE_S, HEAVY_CLIENT_MEMORY_S, MAX_CONCURRENT_FETCHES,
                                          SHUTDOWN_TIMEOUT_S, STARTUP_TIMEOUT_S, STOPPED, USAGE_HALF_LIFE_S,
                                          Overloaded, ProcessingTimeout, Settings, TooManyRequests, WorkerLost,
                                          init_worker)
from newsgist.apps.service.recycle import Recycling
from newsgist.apps.service.routing import Routing
from newsgist.apps.service.workers import HEAVY, LIGHT, Worker, _cpu_s, _rss_mib

log = logging.getLogger("newsgist.apps.service.app")

LONG_CHECK_S = 0.25           # how often a job past long_job_s (wall) is checked for its CPU time
RESPAWN_BACKOFF_S = 10.0      # before retrying a worker that died while starting (a broken model)
MAX_TRACKED_CLIENTS = 10_000  # clients whose use is kept; beyond it the idle ones are forgotten
KNOWN_CLIENT_MEMORY_S = 600.0  # a client with a short job done counts as known this long


class _Entry:
    """One request's job on its way through a lane."""
    __slots__ = ("job", "client", "lane", "deadline", "future", "seq", "worker", "moving", "timer", "started",
                 "cpu0", "budget")

    def __init__(self, job, client, lane, deadline, future, seq, budget):
        self.job, self.client, self.lane, self.deadline, self.future, self.seq, self.budget = \
            job, client, lane, deadline, future, seq, budget
        self.worker: Optional[Worker] = None
        self.moving = False
        self.timer = None
        self.started = 0.0
        self.cpu0: Optional[float] = None

    def finish(self, result=None, error: Optional[BaseException] = None) -> None:
        if not self.future.done():
            self.future.set_exception(error) if error is not None else self.future.set_result(result)
        if self.timer is not None:
            self.timer.cancel()


class Engine(Routing, Recycling):
    """The worker lanes plus the admission control in front of them (routing at admission:
    :class:`~newsgist.apps.service.routing.Routing`; workers replaced for their memory:
    :class:`~newsgist.apps.service.recycle.Recycling`)."""

    def __init__(self, settings: Settings, target=None, warm: bool = True):
        self.settings, self.target, self.warm = settings, target, warm
        self.ready = self.closing = False
        self.lanes: dict[str, list[Worker]] = {LIGHT: [], HEAVY: []}
        self.pending: dict[str, list[_Entry]] = {LIGHT: [], HEAVY: []}
        self.inflight: Counter = Counter()
        self.usage: dict[str, tuple[float, float]] = {}
        self.heavy_until: dict[str, float] = {}
        self.known_until: dict[str, float] = {}
        self.stats: Counter = Counter()
        self.why: defaultdict = defaultdict(Counter)   # routed / refused / moved / ... -> reason -> count
        self.strikes: dict[str, tuple[int, float]] = {}   # client -> (jobs sent heavy at admission, last)
        self._seq = itertools.count()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._threads: list[threading.Thread] = []
        self.fetch_slots: Optional[asyncio.Semaphore] = None
        self.fetcher: Optional[ThreadPoolExecutor] = None   # URL fetches (blocking I/O)

    # --- state -----------------------------------------------------------------------
    busy = property(lambda self: sum(w.entry is not None for lane in self.lanes.values() for w in lane))
    waiting = property(lambda self: sum(len(q) for q in self.pending.values()))

    @property
    def pids(self) -> list[int]:
        """Live worker pids, normal workers first."""
        return [w.pid for lane in (LIGHT, HEAVY) for w in self.lanes[lane] if w.pid and not w.dead]

    def describe(self) -> dict:
        return {lane: {"workers": len(ws), "busy": sum(w.entry is not None for w in ws),
                       "waiting": len(self.pending[lane])} for lane, ws in self.lanes.items()} | \
            {"stopped": self.stats["stopped"], "moved": self.stats["moved"], "killed": self.stats["killed"],
             "replaced": self.stats["replaced"],
             "heavy_clients": sum(t > time.monotonic() for t in self.heavy_until.values()),
             "why": {k: dict(sorted(v.items())) for k, v in sorted(self.why.items())},
             "rss_mib": {lane: [round(_rss_mib(w.pid) or 0.0, 1) for w in ws] for lane, ws in self.lanes.items()
                         if self.settings.pool == "process"}}

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

    def _spawn(self, lane: str) -> Worker:
        w = Worker(self, lane)
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
        cap = self.client_cap(client)
        if self.inflight[client] >= cap:
            self.why["refused"]["client_cap" if cap == s.max_client_requests else "heavy_client_cap"] += 1
            raise TooManyRequests(f"this client already has {self.inflight[client]} requests in flight "
                                  f"(at most {cap}); retry when one has finished")
        if self.waiting >= s.max_queue:
            self.why["refused"]["queue_full"] += 1
            raise Overloaded(f"too many requests waiting ({self.waiting}); retry shortly")
        lane, budget = self._admit(job, client)   # raises 429/503 for the heavy lane's caps
        e = _Entry(job, client, lane, deadline, self._loop.create_future(), next(self._seq), budget)
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

    def _usage(self, client: str, now: float) -> float:
        value, t = self.usage.get(client, (0.0, now))
        return value * 0.5 ** ((now - t) / USAGE_HALF_LIFE_S)

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self.usage[client] = (self._usage(client, now) + seconds, now)
        if len(self.usage) > MAX_TRACKED_CLIENTS:
            self.usage = {c: v for c, v in self.usage.items() if self._usage(c, now) > 0.01}
            self.heavy_until = {c: t for c, t in self.heavy_until.items() if t > now}
            self.known_until = {c: t for c, t in self.known_until.items() if t > now}
            self.strikes = {c: v for c, v in self.strikes.items() if now - v[1] < HEAVY_CLIENT_MEMORY_S}

    def _mark_heavy(self, client: str, why: str = "") -> None:
        if self.settings.heavy_workers:
            log.debug("client %s counts as heavy (%s)", client, why)
            if not self._is_heavy(client):
                self.why["heavy_clients"][why] += 1
            self.heavy_until[client] = time.monotonic() + HEAVY_CLIENT_MEMORY_S
            self.known_until.pop(client, None)

    def _pump(self, lane: str) -> None:
        """Hand waiting jobs to the free workers of ``lane``: the clients with the fewest jobs
        running there first, then the least recent use, then first come first served. A
        job whose client has turned heavy since it arrived goes to the heavy queue instead.
        With heavy workers, jobs of clients not yet known for short jobs (new clients, and
        with them each new slow one until it is moved) run on at most ``workers - 1``
        normal workers, so the known clients always have one."""
        q = self.pending[lane]
        idle = [w for w in self.lanes[lane] if w.ready and not w.dead and w.entry is None]
        if not (idle and q):
            return
        now = time.monotonic()
        busy = [w.entry.client for w in self.lanes[lane] if w.entry is not None]
        running = Counter(busy)
        guard = lane == LIGHT and self.settings.heavy_workers > 0
        new_cap = max(1, len(self.lanes[lane]) - 1)
        new_running = sum(not self._known(c, now) for c in busy) if guard else 0
        while idle and q:
            allowed = q if not guard or new_running < new_cap else [x for x in q if self._known(x.client, now)]
            if not allowed:
                return
            e = min(allowed, key=lambda x: (running[x.client], self._usage(x.client, now), x.seq))
            q.remove(e)
            if lane == LIGHT and self._is_heavy(e.client):
                e.lane = HEAVY
                self.pending[HEAVY].append(e)
                self._pump(HEAVY)
                continue
            w = idle.pop()
            running[e.client] += 1
            new_running += guard and not self._known(e.client, now)
            w.entry, e.worker, e.started, e.cpu0 = e, w, time.monotonic(), _cpu_s(w.pid)
            w.inbox.put(e.job)
            if guard and self.settings.pool == "process":
                w.timers.append(self._loop.call_later(e.budget, self._on_long, w, e))

    def _known(self, client: str, now: float) -> bool:
        """Has ``client`` had a short job done on a normal worker lately (and none slow since)?"""
        return self.known_until.get(client, 0.0) > now

    # --- events (on the event loop) ----------------------------------------------------
    def _worker_ready(self, w: Worker, pid: int) -> None:
        w.pid, w.ready = pid, True
        if self.settings.pool == "process":
            w.warm_rss = _rss_mib(pid)
        if not w.ready_future.done():
            w.ready_future.set_result(pid)
        self._pump(w.lane)

    def _on_long(self, w: Worker, e: _Entry) -> None:
        """``long_job_s`` passed: if the job has used that much CPU on its normal worker (the
        wall clock of a loaded machine says little), stop it there and run it on a heavy one."""
        if w.entry is not e or e.future.done():
            return
        used = self._used(w, e)
        if used < e.budget:
            w.timers.append(self._loop.call_later(max(LONG_CHECK_S, e.budget - used), self._on_long, w, e))
            return
        self._mark_heavy(e.client, "moved")
        e.moving = True
        self._stop(w, e, kill=False)

    def _used(self, w, e: _Entry) -> float:
        """CPU seconds the job has used so far (wall seconds in thread mode or without /proc)."""
        cpu = _cpu_s(w.pid) if self.settings.pool == "process" else None
        return cpu - e.cpu0 if cpu is not None and e.cpu0 is not None else time.monotonic() - e.started

    def _on_deadline(self, e: _Entry) -> None:
        if e.future.done():
            return
        if e.worker is None:
            if e in self.pending[e.lane]:
                self.pending[e.lane].remove(e)
            if e.lane == HEAVY:   # its client keeps the heavy workers busy: it stays heavy
                self._mark_heavy(e.client, "waited out its deadline for a heavy worker")
            e.finish(error=Overloaded("no worker became free within the request time budget"))
            return
        e.finish(error=ProcessingTimeout("processing took longer than the request time budget"))
        if e.lane == HEAVY or self._used(e.worker, e) > e.budget:   # not just a slow machine
            self._mark_heavy(e.client, "timeout")
        if e.worker.entry is e:
            self._stop(e.worker, e)

    def _stop(self, w: Worker, e: _Entry, kill: bool = True) -> None:
        """SIGUSR1 now (the job stops at its next Python line); SIGKILL after the grace if
        ``kill`` (at the deadline; a job being moved is waited for: a respawn costs more)."""
        if self.settings.pool != "process" or w.pid is None:
            return
        try:
            os.kill(w.pid, signal.SIGUSR1)
        except ProcessLookupError:
            return
        if kill:
            w.timers.append(self._loop.call_later(DEADLINE_GRACE_S, self._kill, w, e))

    def _kill(self, w: Worker, e: _Entry) -> None:
        if w.entry is e and not w.dead and w.pid is not None:
            log.warning("worker %d did not stop its job within %.1f s; killing it", w.pid, DEADLINE_GRACE_S)
            w.killed = True
            self.stats["killed"] += 1
            self.why["killed"]["stuck_after_deadline"] += 1
            try:
                os.kill(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _release(self, w: Worker) -> Optional[_Entry]:
        e, w.entry = w.entry, None
        for t in w.timers:
            t.cancel()
        w.timers.clear()
        if e is not None:
            used = self._used(w, e)
            self._charge(e.client, used)
            if used > e.budget:
                self._mark_heavy(e.client, "cpu")
            e.worker = None
        return e

    def _requeue_heavy(self, e: _Entry) -> None:
        self.stats["moved"] += 1
        self.why["moved"]["cpu_over_budget"] += 1
        e.moving, e.lane = False, HEAVY
        self.pending[HEAVY].append(e)
        self._pump(HEAVY)

    def _finished(self, w: Worker, result: tuple[int, bytes]) -> None:
        e = self._release(w)
        if e is not None:
            if result[0] == STOPPED:
                self.stats["stopped"] += 1
                self.why["stopped"]["to_move" if e.moving else "deadline"] += 1
                if e.moving and not e.future.done():
                    self._requeue_heavy(e)
            else:
                e.finish(result)
                if w.lane == LIGHT and not self.heavy_until.get(e.client, 0.0) > time.monotonic():
                    self.known_until[e.client] = time.monotonic() + KNOWN_CLIENT_MEMORY_S
            self._after_job(w, stopped=result[0] == STOPPED)   # replaced if it has grown too large
        self._pump(w.lane)

    def _worker_died(self, w: Worker, exc: BaseException) -> None:
        w.dead = True
        if w in self.lanes[w.lane]:
            self.lanes[w.lane].remove(w)
        e = self._release(w)
        if e is not None:
            if e.moving and not e.future.done():
                self._requeue_heavy(e)
            else:
                e.finish(error=WorkerLost("a worker process died; it is being replaced, retry shortly"))
        started = w.ready
        if not w.ready_future.done():
            w.ready_future.set_exception(RuntimeError(f"a worker failed to start: {exc!r}"))
            w.ready_future.add_done_callback(lambda f: f.exception())   # retrieved: no warning
        if self.closing:
            return
        if not w.killed:
            log.error("worker %s lost (%r); replacing it", w.pid, exc)
        self.stats["replaced"] += 1
        self.why["replaced"]["killed" if w.killed else "died"] += 1
        if started:
            self._spawn(w.lane)
        else:   # it failed while starting: do not spin on a broken installation
            self._loop.call_later(RESPAWN_BACKOFF_S, lambda: self.closing or self._spawn(w.lane))
