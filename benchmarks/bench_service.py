"""Load test of the HTTP service on loopback: throughput, latency, errors, memory.

Starts ``python -m newsgist serve`` as a subprocess on a free 127.0.0.1 port, waits
for ``/healthz``, warms it up, then runs closed-loop clients (one keep-alive connection and
coroutine per client, see ``Connection``) that post articles from
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
from common import REPO_ROOT, require_data, stop_process  # noqa: E402

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
#: Articles timed in-process before the runs, to tell a slow (shared) machine from a slow server.
CALIBRATION_ARTICLES = 100


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


def _tree(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        stack += _children(p)
    return pids


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants."""
    total = 0.0
    for p in _tree(pid):
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def tree_rss_mib(pid: int) -> dict:
    """RSS (MiB) of ``pid`` and all its descendants: {"total", "server", "workers": [...]}."""
    if not Path("/proc").is_dir():
        return {"total": float("nan"), "server": float("nan"), "workers": []}
    sizes = [_rss_kib(p) / 1024 for p in _tree(pid)]
    return {"total": round(sum(sizes), 1), "server": round(sizes[0], 1), "workers": [round(x, 1) for x in sizes[1:]]}


def serve_articles(data: str, limit: int | None) -> list[str] | None:
    """The first ``limit`` articles of ``data`` (under ../shared/data) for a service
    benchmark; None, with a ``skipped:`` line, without the 'serve' extra."""
    path = require_data(data)
    try:
        import httpx  # noqa: F401
        import fastapi, uvicorn  # noqa: F401,E401
    except ImportError as exc:
        print(f"skipped: the 'serve' extra is not installed ({exc.name})")
        return None
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["article"] for line in fh if line.strip()][:limit]


def text_bodies(articles: list[str]) -> list[bytes]:
    """``{"text": article}`` request bodies."""
    return [json.dumps({"text": a}).encode("utf-8") for a in articles]


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


class Connection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams, for our own server only.

    httpx spends ~4-5 ms of CPU a request, more than the server does, and the client
    shares the machine with the server; this one spends a fraction of a millisecond.
    """

    def __init__(self, host: str, port: int, local_ip: str | None = None):
        self.host, self.port, self.local_ip = host, port, local_ip   # local_ip: the source address
        self.reader = self.writer = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port, local_addr=(self.local_ip, 0) if self.local_ip else None)
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
        self.writer.write(head + body)
        await self.writer.drain()
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        self.headers = {k.strip().lower(): v.strip() for k, v in fields.items()}
        length = int(next((v for k, v in fields.items() if k.strip().lower() == "content-length"), "0"))
        data = await self.reader.readexactly(length)
        if any(k.strip().lower() == "connection" and "close" in v.lower() for k, v in fields.items()):
            self.close()
        return status, data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(base: str, path: str, bodies: list[bytes], clients: int, seconds: float, max_requests: int) -> dict:
    """Closed loop: ``clients`` connections post bodies until time or the request cap runs out."""
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    latencies: list[float] = []
    errors: Counter = Counter()
    state = {"next": 0}
    t_end = time.monotonic() + seconds

    async def one_client():
        conn = Connection(host, int(port))
        try:
            while time.monotonic() < t_end and state["next"] < max_requests:
                i = state["next"]
                state["next"] += 1
                t0 = time.perf_counter()
                try:
                    status, data = await asyncio.wait_for(conn.post(path, bodies[i % len(bodies)]), CLIENT_TIMEOUT_S)
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
                    errors[type(exc).__name__] += 1
                    conn.close()
                    continue
                if status == 200:
                    latencies.append((time.perf_counter() - t0) * 1000)
                else:
                    try:
                        errors[f"{status} {json.loads(data)['error']['code']}"] += 1
                    except (ValueError, KeyError, TypeError):
                        errors[str(status)] += 1
        finally:
            conn.close()

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


def calibrate(articles: list[str]) -> float:
    """Mean ms of ``read(..., highlights_only=True)`` in this process (after one warm-up call)."""
    from newsgist import read
    sample = articles[:CALIBRATION_ARTICLES]
    read(sample[0], highlights_only=True)
    t0 = time.perf_counter()
    for text in sample:
        read(text, highlights_only=True)
    return round((time.perf_counter() - t0) * 1000 / len(sample), 2)


def measured(pid: int, base: str, path: str, bodies: list[bytes], clients: int, seconds: float,
             max_requests: int) -> dict:
    """One load run, plus the CPU time per request of the server (all processes) and of this client."""
    server0, client0 = tree_cpu_s(pid), time.process_time()
    result = asyncio.run(load(base, path, bodies, clients, seconds, max_requests))
    n = max(1, result["requests"])
    result["server_cpu_ms"] = round((tree_cpu_s(pid) - server0) * 1000 / n, 2)
    result["client_cpu_ms"] = round((time.process_time() - client0) * 1000 / n, 2)
    return result


# --- report -------------------------------------------------------------------------

def table(runs: list[dict], memory: list[tuple[str, dict]], info: dict) -> str:
    lines = [f"newsgist service load test -- {info['cpus']} CPUs (load average {info['loadavg']} at start), "
             f"{info['workers']} worker process(es), loopback, articles from {DATA} ({info['articles']}), "
             f"server ready in {info['startup_s']:.1f} s; machine speed: in-process highlights "
             f"{info['calibration_ms']} ms/article (mean of {CALIBRATION_ARTICLES})", "",
             "| endpoint | clients | s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors "
             "| server CPU ms/req | client CPU ms/req |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r['endpoint']} | {r['clients']} | {r['seconds']} | {r['requests']} | {r['rps']} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['errors']} "
                     f"| {r['server_cpu_ms']} | {r['client_cpu_ms']} |")
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

    articles = serve_articles(DATA, args.limit)
    if articles is None:
        return 0
    import httpx
    bodies = text_bodies(articles)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.workers, args.server_args)
    try:
        startup = wait_ready(base, proc)
        health = httpx.get(base + "/healthz").json()
        # warm-up: every worker parses a few cards; highlights warm the HTTP path
        asyncio.run(load(base, "/v1/card", bodies, health["workers"], 3600, 2 * health["workers"]))
        asyncio.run(load(base, "/v1/highlights", bodies, 10, 3600, WARMUP_HIGHLIGHTS))
        memory = [("before (after start-up and warm-up)", tree_rss_mib(proc.pid))]
        calibration = calibrate(articles)
        loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
        runs = [measured(proc.pid, base, "/v1/highlights", bodies, args.clients, args.seconds, args.max_requests)]
        memory.append(("after the highlights run", tree_rss_mib(proc.pid)))
        if args.card_seconds > 0:
            runs.append(measured(proc.pid, base, "/v1/card", bodies, args.card_clients, args.card_seconds,
                                 args.max_requests))
            memory.append(("after the card run", tree_rss_mib(proc.pid)))
        info = {"cpus": os.cpu_count(), "workers": health["workers"], "articles": len(articles),
                "startup_s": startup, "loadavg": loadavg, "calibration_ms": calibration}
        if args.json:
            print(json.dumps({"info": info, "runs": runs, "memory": dict(memory)}, indent=2))
        else:
            print(table(runs, memory, info))
        return 0 if all(r["errors"] == 0 for r in runs) else 1
    finally:
        stop_process(proc)


if __name__ == "__main__":
    sys.exit(main())
