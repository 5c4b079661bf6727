"""Admission to the lanes of the service's scheduler (issue 32), a part of
:class:`newsgist.apps.service.pool.Engine`.

A new job goes to the heavy workers *before* it runs when its client counts as heavy or
when the shape check (:mod:`newsgist.apps.service.admission`: size, longest sentence,
punctuation and quote-mark density, HTML depth and blocks) says it will be slow; each is
counted in ``why.routed`` of ``/healthz``. A client sent there :data:`ADMISSION_STRIKES`
times within ``HEAVY_CLIENT_MEMORY_S`` counts as heavy: all its requests go there, at
most ``max_client_heavy`` in flight (more: 429, before the body is read), queued fairly
behind the other heavy clients; at most ``max_heavy_queue`` wait (more: 503).
A normal job gets a CPU budget on its normal worker (:data:`MOVE_FACTOR` times its
expected cost, at least ``long_job_s``) past which it is moved.
"""
from __future__ import annotations

import time

from newsgist.apps.service.admission import expected_cpu_s, heavy_reason
from newsgist.apps.service.engine import HEAVY_CLIENT_MEMORY_S, Overloaded, TooManyRequests
from newsgist.apps.service.workers import HEAVY, LIGHT

#: A client with this many jobs sent to the heavy workers at admission (shape or size)
#: within HEAVY_CLIENT_MEMORY_S counts as heavy: all its requests go there (one a time).
#: Three: a reader who posts two long articles in a minute keeps the normal workers.
ADMISSION_STRIKES = 3
#: A normal job is moved to the heavy workers once it has used this many times its expected
#: CPU (admission.expected_cpu_s), and at least ``long_job_s``: a long but normal card (a
#: 10 kB article, ~0.6 CPU s) runs where it started; a shape the check missed is moved.
MOVE_FACTOR = 2.0


class Routing:
    """The admission half of the engine (uses its ``settings``, ``lanes``, ``pending``,
    ``heavy_until``, ``strikes``, ``why`` and ``_mark_heavy``)."""

    def client_cap(self, client: str) -> int:
        """Requests ``client`` may have in flight: ``max_client_heavy`` while it counts as heavy
        (all its jobs go to the heavy workers), else ``max_client_requests``."""
        s = self.settings
        return min(s.max_client_heavy, s.max_client_requests) if self._is_heavy(client) else s.max_client_requests

    def _is_heavy(self, client: str) -> bool:
        return bool(self.settings.heavy_workers) and self.heavy_until.get(client, 0.0) > time.monotonic()

    def _admit(self, job: dict, client: str) -> tuple[str, float]:
        """The lane of a new job and its CPU budget on a normal worker (see :data:`MOVE_FACTOR`):
        heavy for a heavy client, and for an input whose size or shape says it will be slow
        (:func:`newsgist.apps.service.admission.heavy_reason`; counted in ``why.routed``)."""
        s = self.settings
        if not s.heavy_workers:
            return LIGHT, s.long_job_s
        if self._is_heavy(client):
            self._heavy_caps(client)
            self.why["routed"]["heavy_client"] += 1
            return HEAVY, s.long_job_s
        reason, shape = heavy_reason(job, s.heavy_card_chars, s.heavy_highlights_chars)
        budget = max(s.long_job_s, MOVE_FACTOR * expected_cpu_s(job, shape))
        if reason is None:
            return LIGHT, budget
        now = time.monotonic()   # a strike counts even if the caps refuse the job
        n, last = self.strikes.get(client, (0, now))
        n = 1 if now - last > HEAVY_CLIENT_MEMORY_S else n + 1
        self.strikes[client] = (n, now)
        if n >= ADMISSION_STRIKES:
            self._mark_heavy(client, "admission")
        self._heavy_caps(client)
        self.why["routed"][reason] += 1
        return HEAVY, budget

    def _heavy_caps(self, client: str) -> None:
        """429 when ``client`` has ``max_client_heavy`` heavy jobs in flight, 503 when
        ``max_heavy_queue`` jobs wait for a heavy worker."""
        s = self.settings
        mine = sum(x.client == client for x in self.pending[HEAVY]) + \
            sum(w.entry is not None and w.entry.client == client and not w.entry.future.done()
                for w in self.lanes[HEAVY])   # a job answered (504) while it is being stopped: not in flight
        if mine >= s.max_client_heavy:
            self.why["refused"]["heavy_client_cap"] += 1
            raise TooManyRequests(f"this client already has {mine} slow requests in flight (at most "
                                  f"{s.max_client_heavy}); retry when it has finished")
        if len(self.pending[HEAVY]) >= s.max_heavy_queue:
            self.why["refused"]["heavy_queue_full"] += 1
            raise Overloaded(f"too many slow requests waiting ({len(self.pending[HEAVY])}); retry shortly")
