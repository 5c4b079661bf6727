"""Workers replaced for their memory (issue 32), a part of :class:`newsgist.apps.service.pool.Engine`.

A worker's RSS is read (``/proc``) when it becomes ready (its *warm* RSS) and after each
job: past ``worker_rss_factor`` times the warm RSS it is told to exit between jobs and a
fresh one is started once it has gone (so the two never hold memory together). A
worker that ran a heavy job (on the heavy lane, or a job stopped on a normal worker) and
then sits idle ``idle_recycle_s`` with its RSS past ``idle_rss_factor`` is replaced the
same way, so the server returns to its baseline after a burst. Counted in
``replaced`` and ``why.replaced`` of ``/healthz``. Process pool only.
"""
from __future__ import annotations

import logging
import time

from newsgist.apps.service.workers import HEAVY, Worker, _rss_mib

log = logging.getLogger("newsgist.apps.service.app")


class Recycling:
    """The memory half of the engine (uses its ``settings``, ``lanes``, ``pending``,
    ``stats``, ``why``, ``closing`` and ``_spawn``)."""

    def _after_job(self, w: Worker, stopped: bool) -> None:
        w.dirty = w.dirty or w.lane == HEAVY or stopped
        w.last_done = time.monotonic()
        self._check_rss(w, self.settings.worker_rss_factor, "rss_over_limit")
        if w.dirty and not w.retiring and self.settings.pool == "process":
            self._loop.call_later(self.settings.idle_recycle_s, self._idle_check, w)

    def _check_rss(self, w: Worker, factor: float, why: str) -> None:
        rss = _rss_mib(w.pid) if self.settings.pool == "process" and not w.retiring else None
        if rss is not None and w.warm_rss and rss > factor * w.warm_rss:
            self._retire(w, why, rss)

    def _idle_check(self, w: Worker) -> None:
        """A worker idle ``idle_recycle_s`` after a heavy job, its RSS past ``idle_rss_factor``:
        replaced, so the server's memory returns to its baseline after a burst."""
        if w.entry is None and not w.dead and time.monotonic() - w.last_done >= self.settings.idle_recycle_s * 0.99 \
                and not self.pending[w.lane]:
            self._check_rss(w, self.settings.idle_rss_factor, "rss_after_heavy_jobs")

    def _retire(self, w: Worker, why: str, rss: float) -> None:
        """Tell ``w`` to exit (it is between jobs); its successor starts once it has gone."""
        if self.closing or w.retiring or w not in self.lanes[w.lane]:
            return
        log.info("worker %s (%s) uses %.0f MiB, %.2fx its warm %.0f MiB: replacing it", w.pid, w.lane, rss,
                 rss / w.warm_rss, w.warm_rss)
        w.retiring = True
        self.lanes[w.lane].remove(w)
        self.stats["replaced"] += 1
        self.why["replaced"][why] += 1
        w.inbox.put(None)

    def _worker_retired(self, w: Worker) -> None:
        if not self.closing:
            self._spawn(w.lane)

