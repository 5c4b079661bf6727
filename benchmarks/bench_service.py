"""Load test of the HTTP service on loopback: throughput, latency, errors, memory.

Starts ``python -m newsgist serve`` as a subprocess on a free 127.0.0.1 port, waits
for ``/healthz``, warms it up, then runs closed-loop clients (httpx AsyncClient,
one coroutine per client) that post articles from
``../shared/data/cnndm/test-public-500.jsonl`` round-robin:

1. ``/v1/highlights`` -- ``--clients`` (50) clients for ``--seconds`` (60 s);
2. ``/v1/card``       -- ``--card-clients`` (10) clients for ``--card-seconds`` (20 s).

Each run stops at its duration or at ``--max-requests``, whichever comes first.
Reported per run: requests, requests/s, p50/p95/p99/max latency (ms), errors (any
non-200 answer or transport error, by code). Server memory is the summed RSS of
the server process and its workers (from /proc, Linux) after start-up and warm-up
("before"), and after each run. Targets: 0 errors, p99 <= 1 s for highlights, no
RSS growth beyond noise.

Usage::

    python benchmarks/bench_service.py                     # the full run (~90 s + start-up)
    python benchmarks/bench_service.py --seconds 10 --card-seconds 5
    python benchmarks/bench_service.py --workers 4 --json

Skips (exit 0) with a message when the data file or the 'serve' extra is absent.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO_ROOT, require_data  # noqa: E402

DATA = "cnndm/test-public-500.jsonl"
DEFAULT_SECONDS = 60.0
DEFAULT_CARD_SECONDS = 20.0
DEFAULT_CLIENTS = 50
DEFAULT_CARD_CLIENTS = 10
DEFAULT_MAX_REQUESTS = 200_000
SERVER_START_TIMEOUT_S = 180.0
CLIENT_TIMEOUT_S = 60.0
WARMUP_HIGHLIGHTS = 100
PERCENTILES = (50, 95, 99)


# --- server process and memory ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(x) for x in task.read_text().split()]
        except OSError:
            pass
    return out


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mib(pid: int) -> dict:
    """RSS (MiB) of ``pid`` and all its descendants: {"total", "server", "workers": [...]}."""
    if not Path("/proc").is_dir():
        return {"total": float("nan"), "server": float("nan"), "workers": []}
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        stack += _children(p)
    sizes = [_rss_kib(p) / 1024 for p in pids]
    return {"total": round(sum(sizes), 1), "server": round(sizes[0], 1), "workers": [round(x, 1) for x in sizes[1:]]}


def start_server(port: int, workers: int | None, extra: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newsgist", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning"] + (["--workers", str(workers)] if workers else []) + extra
    return subprocess.Popen(cmd, cwd=REPO_ROOT)


def wait_ready(base: str, proc: subprocess.Popen) -> float:
    import httpx
    t0 = time.monotonic()
    while time.monotonic() - t0 < SERVER_START_TIMEOUT_S:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode} during start-up")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return time.monotonic() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not become ready in time")


# --- load ---------------------------------------------------------------------------

def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(q / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


async def load(base: str, path: str, articles: list[str], clients: int, seconds: float, max_requests: int) -> dict:
    """Closed loop: ``clients`` coroutines post articles until time or the request cap runs out."""
    import httpx
    latencies: list[float] = []
    errors: Counter = Counter()
    state = {"next": 0}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    t_end = time.monotonic() + seconds

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=CLIENT_TIMEOUT_S) as client:
        async def one_client():
            while time.monotonic() < t_end and state["next"] < max_requests:
                i = state["next"]
                state["next"] += 1
                t0 = time.perf_counter()
                try:
                    r = await client.post(path, json={"text": articles[i % len(articles)]})
                    ok = r.status_code == 200
                    if not ok:
                        try:
                            errors[f"{r.status_code} {r.json()['error']['code']}"] += 1
                        except Exception:
                            errors[str(r.status_code)] += 1
                except httpx.HTTPError as exc:
                    ok = False
                    errors[type(exc).__name__] += 1
                if ok:
                    latencies.append((time.perf_counter() - t0) * 1000)
        t0 = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.monotonic() - t0
    latencies.sort()
    n = len(latencies) + sum(errors.values())
    return {"endpoint": path, "clients": clients, "seconds": round(elapsed, 1), "requests": n,
            "rps": round(n / elapsed, 1) if elapsed else 0.0,
            **{f"p{q}_ms": round(percentile(latencies, q), 1) for q in PERCENTILES},
            "max_ms": round(latencies[-1], 1) if latencies else float("nan"),
            "errors": sum(errors.values()), "error_codes": dict(errors)}


# --- report -------------------------------------------------------------------------

def table(runs: list[dict], memory: list[tuple[str, dict]], info: dict) -> str:
    lines = [f"newsgist service load test -- {info['cpus']} CPUs, {info['workers']} worker process(es), "
             f"loopback, articles from {DATA} ({info['articles']}), server ready in {info['startup_s']:.1f} s", "",
             "| endpoint | clients | s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r['endpoint']} | {r['clients']} | {r['seconds']} | {r['requests']} | {r['rps']} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['errors']} |")
    for r in runs:
        if r["error_codes"]:
            lines.append(f"\nerrors on {r['endpoint']}: {r['error_codes']}")
    lines += ["", "| server RSS (MiB) | total | server | workers |", "|---|---:|---:|---|"]
    for label, m in memory:
        lines.append(f"| {label} | {m['total']} | {m['server']} | {', '.join(map(str, m['workers']))} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="highlights run length (default: 60)")
    ap.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="concurrent clients for highlights (50)")
    ap.add_argument("--card-seconds", type=float, default=DEFAULT_CARD_SECONDS, help="card run length (20; 0 = skip)")
    ap.add_argument("--card-clients", type=int, default=DEFAULT_CARD_CLIENTS, help="concurrent clients for card (10)")
    ap.add_argument("--max-requests", type=int, default=DEFAULT_MAX_REQUESTS, help="cap on requests per run")
    ap.add_argument("--workers", type=int, default=None, help="server worker processes (server default)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("server_args", nargs="*", help="extra `newsgist serve` flags (after --)")
    args = ap.parse_args(argv)

    path = require_data(DATA)
    try:
        import httpx  # noqa: F401
        import fastapi, uvicorn  # noqa: F401,E401
    except ImportError as exc:
        print(f"skipped: the 'serve' extra is not installed ({exc.name})")
        return 0
    with open(path, encoding="utf-8") as fh:
        articles = [json.loads(line)["article"] for line in fh if line.strip()][: args.limit]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.workers, args.server_args)
    try:
        startup = wait_ready(base, proc)
        health = httpx.get(base + "/healthz").json()
        # warm-up: every worker parses a few cards; highlights warm the HTTP path
        asyncio.run(load(base, "/v1/card", articles, health["workers"], 3600, 2 * health["workers"]))
        asyncio.run(load(base, "/v1/highlights", articles, 10, 3600, WARMUP_HIGHLIGHTS))
        memory = [("before (after start-up and warm-up)", tree_rss_mib(proc.pid))]
        runs = [asyncio.run(load(base, "/v1/highlights", articles, args.clients, args.seconds, args.max_requests))]
        memory.append(("after the highlights run", tree_rss_mib(proc.pid)))
        if args.card_seconds > 0:
            runs.append(asyncio.run(load(base, "/v1/card", articles, args.card_clients, args.card_seconds,
                                         args.max_requests)))
            memory.append(("after the card run", tree_rss_mib(proc.pid)))
        info = {"cpus": os.cpu_count(), "workers": health["workers"], "articles": len(articles),
                "startup_s": startup}
        if args.json:
            print(json.dumps({"info": info, "runs": runs, "memory": dict(memory)}, indent=2))
        else:
            print(table(runs, memory, info))
        return 0 if all(r["errors"] == 0 for r in runs) else 1
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
