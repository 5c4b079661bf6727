"""The worker processes of the HTTP service, seen from the server: :class:`Worker` spawns
one (``spawn`` start method, models loaded once, heavy ones niced) and feeds it jobs over
a pipe from a thread of its own, reporting to :class:`newsgist.apps.service.pool.Engine`
on the event loop; :func:`_cpu_s` and :func:`_rss_mib` read a process's CPU time and
resident memory.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
from typing import Optional

from newsgist.apps.service.engine import (HEAVY_NICE, PARENT_CHECK_S, SHUTDOWN_TIMEOUT_S, STARTUP_TIMEOUT_S,
                                          _dumps, error_body, process_job, worker_main)

LIGHT = "normal"   # the lanes
HEAVY = "heavy"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_mib(pid: Optional[int]) -> Optional[float]:
    """Resident set size (MiB) of process ``pid``, from /proc (Linux); else None."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_BYTES / 2 ** 20
    except (OSError, ValueError, IndexError):
        return None


def _cpu_s(pid: Optional[int]) -> Optional[float]:
    """CPU seconds (user + system) of process ``pid`` so far, from /proc (Linux); else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            f = fh.read().rsplit(b")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


class Worker:
    """A worker process and the thread that feeds it (or, in thread mode, a thread)."""

    def __init__(self, engine, lane: str):
        self.engine, self.lane = engine, lane
        self.inbox: queue.Queue = queue.Queue()
        self.entry = None   # the pool's entry of the job running here
        self.pid: Optional[int] = None
        self.ready = self.dead = self.killed = False
        self.retiring = False   # told to exit between jobs (grown too large): replaced once it has
        self.dirty = False      # it ran a heavy job since it started (idle recycling applies)
        self.warm_rss: Optional[float] = None   # MiB when it became ready
        self.last_done = 0.0    # time.monotonic() its last job ended
        self.ready_future = engine._loop.create_future()
        self.timers: list = []

    def _call(self, fn, *args) -> None:
        try:
            self.engine._loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:   # the loop is closed: shutting down
            return

    def serve(self) -> None:
        if self.engine.settings.pool == "thread":
            return self._serve_thread()
        proc = conn = None
        lost = False
        try:
            ctx = multiprocessing.get_context("spawn")
            conn, child = ctx.Pipe()
            nice = HEAVY_NICE if self.lane == HEAVY else 0
            idle_class = self.lane == HEAVY and self.engine.settings.heavy_idle_class
            proc = ctx.Process(target=worker_main, args=(child, nice, self.engine.warm, self.engine.target,
                                                         idle_class),
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
            if self.retiring and not lost:   # it exited between jobs as told: start its successor
                self._call(self.engine._worker_retired, self)

    def _serve_thread(self) -> None:
        target = self.engine.target or process_job
        self._call(self.engine._worker_ready, self, os.getpid())
        while (job := self.inbox.get()) is not None:
            try:
                result = target(job)
            except Exception as exc:   # process_job never raises; a test target might
                result = (500, _dumps(error_body("internal_error", f"internal error ({type(exc).__name__})")))
            self._call(self.engine._finished, self, result)
