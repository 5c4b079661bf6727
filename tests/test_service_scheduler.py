"""The service's scheduler (newsgist.apps.service.pool) under concurrency.

The workers run :func:`sched_target` instead of the pipeline (``create_app(target=...,
warm=False)``), so the tests do not depend on how fast any stage is: ``slow:S`` sleeps
S seconds in Python (SIGUSR1 stops it), ``spin:S`` spends S CPU seconds in Python,
``stuck:S`` sleeps with SIGUSR1 blocked, as a long C call would (only SIGKILL ends it),
anything else answers at once. Every answer
names the worker's pid. Clients are told apart by the ``X-Client`` header
(``client_ip_header``), as behind a proxy.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
import warnings

import pytest

pytest.importorskip("fastapi", reason="the 'serve' extra (fastapi, uvicorn) is not installed")
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient  # noqa: E402

from newsgist.apps.service.app import Settings, create_app  # noqa: E402
from newsgist.apps.service.engine import DEADLINE_GRACE_S  # noqa: E402

HEADER = "X-Client"


def sched_target(job: dict) -> tuple[int, bytes]:
    """What the test workers run (module level: spawned workers import it by name)."""
    kind, _, arg = job["text"].partition(":")
    if kind == "stuck":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        time.sleep(float(arg))
    elif kind == "slow":
        time.sleep(float(arg))
    elif kind == "spin":
        t0 = time.process_time()
        while time.process_time() - t0 < float(arg):
            pass
    return 200, json.dumps({"pid": os.getpid()}).encode()


def post(c, text: str, client: str):
    return c.post("/v1/highlights", json={"text": text}, headers={HEADER: client})


def in_thread(fn):
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", fn()))
    t.start()
    return t, out


def assert_error(resp, status: int, code: str):
    assert resp.status_code == status, resp.text
    assert resp.json() == {"error": {"code": code, "message": resp.json()["error"]["message"]}}


def test_client_over_its_cap_gets_429_while_another_is_served():
    settings = Settings(pool="thread", workers=2, heavy_workers=0, max_client_requests=1,
                        client_ip_header=HEADER, request_timeout=10)
    with TestClient(create_app(settings, target=sched_target, warm=False)) as c:
        t, out = in_thread(lambda: post(c, "slow:1.5", "a"))
        time.sleep(0.3)                                   # a's first request is running
        r = post(c, "quick", "a")
        assert_error(r, 429, "too_many_requests")
        assert int(r.headers["retry-after"]) >= 1
        t0 = time.monotonic()
        assert post(c, "quick", "b").status_code == 200   # another client is served meanwhile
        assert time.monotonic() - t0 < 1.0
        t.join(10)
        assert out["r"].status_code == 200
        assert post(c, "quick", "a").status_code == 200   # a's slot is free again


def test_deadline_stops_or_kills_and_replaces_workers_under_concurrency():
    """Two jobs overrun a 1 s deadline at once: the stoppable one is stopped in its
    worker, the stuck one's worker is killed and replaced; a third client is served
    throughout and nothing holds a worker past deadline + grace."""
    settings = Settings(workers=3, heavy_workers=0, request_timeout=1.0, client_ip_header=HEADER)
    app = create_app(settings, target=sched_target, warm=False)
    with TestClient(app) as c:
        engine = app.state.engine
        before = set(engine.pids)
        assert len(before) == 3
        t0 = time.monotonic()
        stuck_t, stuck = in_thread(lambda: post(c, "stuck:60", "attacker-1"))
        slow_t, slow = in_thread(lambda: post(c, "slow:60", "attacker-2"))
        served = []
        while time.monotonic() - t0 < 1.0 + DEADLINE_GRACE_S + 0.5:
            r = post(c, "quick", "normal")
            assert r.status_code == 200, r.text
            served.append(r.json()["pid"])
            time.sleep(0.05)
        stuck_t.join(5)
        slow_t.join(5)
        assert_error(stuck["r"], 504, "timeout")
        assert_error(slow["r"], 504, "timeout")
        assert len(served) > 10
        assert engine.stats["killed"] == 1 and engine.stats["stopped"] == 1
        # the killed worker is replaced; the stopped one serves again
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (len(engine.pids) < 3 or engine.busy):
            time.sleep(0.2)
        after = set(engine.pids)
        assert len(after) == 3 and len(after & before) == 2, (before, after)
        assert engine.stats["replaced"] == 1
        pids = set()
        for _ in range(12):   # three at a time, so every worker takes some
            threads = [in_thread(lambda: post(c, "slow:0.2", f"c{i}")) for i in range(3)]
            for t, out in threads:
                t.join(10)
                assert out["r"].status_code == 200
                pids.add(out["r"].json()["pid"])
        assert pids == after


def test_a_long_job_moves_to_the_heavy_worker_and_its_client_follows():
    settings = Settings(workers=1, heavy_workers=1, long_job_s=0.3, request_timeout=30, client_ip_header=HEADER)
    app = create_app(settings, target=sched_target, warm=False)
    with TestClient(app) as c:
        engine = app.state.engine
        normal_pid, heavy_pid = engine.pids
        assert post(c, "slow:1.0", "sleeper").json()["pid"] == normal_pid   # wall time alone: stays
        t, out = in_thread(lambda: post(c, "spin:1.0", "spinner"))
        deadline = time.monotonic() + 20
        while engine.stats["moved"] < 1 and time.monotonic() < deadline:   # after 0.3 CPU seconds
            time.sleep(0.05)
        assert engine.stats["moved"] == 1
        t0 = time.monotonic()
        r = post(c, "quick", "normal")           # the normal worker is free again
        assert r.status_code == 200 and r.json()["pid"] == normal_pid
        assert time.monotonic() - t0 < 1.0
        t.join(30)
        assert out["r"].status_code == 200 and out["r"].json()["pid"] == heavy_pid
        r = post(c, "quick", "spinner")          # its client now counts as heavy
        assert r.status_code == 200 and r.json()["pid"] == heavy_pid
        assert post(c, "quick", "sleeper").json()["pid"] == normal_pid
        r = post(c, "x" * (settings.heavy_highlights_chars + 1), "someone")   # large input: heavy
        assert r.status_code == 200 and r.json()["pid"] == heavy_pid
