"""The HTTP service under attack (issue 17): slow-shape attackers next to normal clients.

Starts ``python -m newsgist serve`` (default settings unless flags follow ``--``) on a
free loopback port and runs two phases on the same server:

1. **baseline** (``--baseline-seconds``, 30 s): the normal clients alone;
2. **attack** (``--seconds``, 60 s): the same normal clients plus ``--attackers`` (5)
   attackers, each from its own source address (127.0.1.N) with ``--attacker-conns``
   (6) connections, sending in a loop the slow shapes of issue 17 (``SHAPES``:
   "according to " repeated at 52 kB and 13 kB and a 20 kB "who said," sentence to
   /v1/card; 400 kB punctuation soup, 300 kB ``<p>`` quotes and 56 kB quote
   paragraphs to /v1/highlights). An attacker retries ``--attacker-retry-s`` (0.1 s)
   after a 429 and at once after anything else.

The normal clients (``--clients``, 20, each from its own address 127.0.2.N, one
keep-alive connection) post real CNN articles from
``../shared/data/cnndm/validation-1000.jsonl`` -- a card for ``--card-share`` (30 %)
of the requests, highlights otherwise -- and think uniform(``--think``) (1-5 s, seeded)
between requests: ~7 requests/s, about a quarter of the two normal workers' capacity
on this machine, so their latency measures the attack, not their own queueing.

Reported: the normal clients' requests, p50/p95/p99/max latency and errors per phase;
the attackers' answers by status; the server's RSS (server + all worker processes,
from /proc) sampled every 2 s: start, peak, end, and after 10 s idle; the load average;
the scheduler's counters from /healthz (jobs moved to the heavy worker, stopped at the
deadline, workers killed and replaced). Targets: normal p99 <= 1 s and 0 errors under
attack, RSS flat.

Usage::

    python benchmarks/bench_attack.py                        # ~100 s + start-up
    python benchmarks/bench_attack.py --seconds 20 --baseline-seconds 10
    python benchmarks/bench_attack.py -- --heavy-workers 0    # compare: one lane
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_service import (Connection, _tree, free_port, percentile, serve_articles,  # noqa: E402
                           start_server, text_bodies, tree_rss_mib, wait_ready)
from common import stop_process  # noqa: E402

DATA = "cnndm/validation-1000.jsonl"
SEED = 17
NORMAL_TIMEOUT_S = 30.0
ATTACK_TIMEOUT_S = 60.0
RSS_EVERY_S = 2.0
IDLE_AFTER_S = 10.0
PERCENTILES = (50, 95, 99)
PUNCT = ".,;:'\"-()\u201c\u201d"
WINDOW_S = 10   # normal-client latency is also reported per window of the phase


def tree_cpu_s_one(pid: int) -> float:
    """CPU seconds of one process (not its children)."""
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def shapes() -> list[tuple[str, str, bytes]]:
    """(label, path, JSON body) of the slow shapes of issue 17's table."""
    rnd = random.Random(SEED)
    soup = "".join(rnd.choice(PUNCT + "abcdefghij ") for _ in range(400_000))
    out = [("according-to 52 kB card", "/v1/card", {"text": "according to " * 4000 + "officials."}),
           ("according-to 13 kB card", "/v1/card", {"text": "according to " * 1000 + "officials."}),
           ("who-said 20 kB card", "/v1/card", {"text": "The mayor, " + "who said, " * 2000 + "left."}),
           ("punctuation soup 400 kB highlights", "/v1/highlights", {"text": soup}),
           ("<p> quotes 300 kB html highlights", "/v1/highlights",
            {"html": "<p>Para. \u201cQuote,\u201d he said.</p>" * 10_000}),
           ("quote paragraphs 56 kB highlights", "/v1/highlights",
            {"text": "Para. \u201cQuote,\u201d he said.\n\n" * 2200})]
    return [(label, path, json.dumps(body).encode("utf-8")) for label, path, body in out]


async def attacker(host, port, ip, items, offset, t_end, outcomes, retry_s):
    conn = Connection(host, port, ip)
    i = offset
    while time.monotonic() < t_end:
        label, path, body = items[i % len(items)]
        i += 1
        try:
            status, data = await asyncio.wait_for(conn.post(path, body), ATTACK_TIMEOUT_S)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
            outcomes[type(exc).__name__] += 1
            conn.close()
            continue
        outcomes[str(status)] += 1
        if status == 429:
            await asyncio.sleep(retry_s)
    conn.close()


async def normal_client(host, port, ip, bodies, seed, t_end, card_share, think, record, phase_t0):
    rnd = random.Random(seed)
    conn = Connection(host, port, ip)
    while time.monotonic() < t_end:
        await asyncio.sleep(rnd.uniform(*think))
        if time.monotonic() >= t_end:
            break
        path = "/v1/card" if rnd.random() < card_share else "/v1/highlights"
        body = bodies[rnd.randrange(len(bodies))]
        t0 = time.perf_counter()
        try:
            status, data = await asyncio.wait_for(conn.post(path, body), NORMAL_TIMEOUT_S)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
            record(path, None, type(exc).__name__)
            conn.close()
            continue
        ms = (time.perf_counter() - t0) * 1000
        if status == 200:
            record(path, ms, None, time.monotonic() - phase_t0)
        else:
            try:
                code = json.loads(data)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = ""
            record(path, None, f"{status} {code}".strip())
    conn.close()


async def sample_rss(pid, t_end, samples, detail):
    while time.monotonic() < t_end:
        m = tree_rss_mib(pid)
        samples.append(m["total"])
        if m["total"] >= max(samples):
            detail["peak"] = m
        await asyncio.sleep(RSS_EVERY_S)


def summary(lat: list[float]) -> dict:
    lat = sorted(lat)
    return {**{f"p{q}_ms": round(percentile(lat, q), 1) for q in PERCENTILES},
            "max_ms": round(lat[-1], 1) if lat else float("nan")}


async def phase(base, pid, bodies, args, attack: bool, seconds: float) -> dict:
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    port = int(port)
    t_start = time.monotonic()
    t_end = t_start + seconds
    cpu0 = {p: tree_cpu_s_one(p) for p in _tree(pid)}
    lat = {"all": [], "/v1/card": [], "/v1/highlights": []}
    errors, attack_out, rss, rss_detail = Counter(), Counter(), [], {}

    windows: dict[int, list[float]] = {}

    def record(path, ms, err, at=0.0):
        if err is None:
            lat["all"].append(ms)
            lat[path].append(ms)
            windows.setdefault(int(at // WINDOW_S), []).append(ms)
        else:
            errors[err] += 1
    tasks = [normal_client(host, port, f"127.0.2.{j + 1}", bodies, SEED * 1000 + j + (7 if attack else 0),
                           t_end, args.card_share, args.think, record, t_start) for j in range(args.clients)]
    if attack:
        items = shapes()
        tasks += [attacker(host, port, f"127.0.1.{a + 1}", items, a + c, t_end, attack_out, args.attacker_retry_s)
                  for a in range(args.attackers) for c in range(args.attacker_conns)]
    tasks.append(sample_rss(pid, t_end, rss, rss_detail))
    load0 = os.getloadavg()
    await asyncio.gather(*tasks)
    cpu = {"server": round(tree_cpu_s_one(pid) - cpu0.get(pid, 0.0), 1),
           "workers": [round(tree_cpu_s_one(p) - cpu0.get(p, 0.0), 1) for p in _tree(pid)[1:]]}
    return {"phase": "attack" if attack else "baseline", "seconds": seconds,
            "requests": len(lat["all"]) + sum(errors.values()), "errors": sum(errors.values()),
            "error_codes": dict(errors), **summary(lat["all"]),
            "card": {"n": len(lat["/v1/card"]), **summary(lat["/v1/card"])},
            "highlights": {"n": len(lat["/v1/highlights"]), **summary(lat["/v1/highlights"])},
            "cpu_s": cpu, "windows": {f"{k * WINDOW_S}-{(k + 1) * WINDOW_S} s": summary(v) | {"n": len(v)}
                                      for k, v in sorted(windows.items())},
            "attackers": dict(sorted(attack_out.items())), "rss_mib": rss, "rss_peak": rss_detail.get("peak"),
            "loadavg": [round(x, 2) for x in load0] + [round(x, 2) for x in os.getloadavg()]}


def table(runs, info) -> str:
    lines = [f"newsgist service under attack -- {info['cpus']} CPUs, server `{info['cmd']}`, ready in "
             f"{info['startup_s']:.1f} s; {info['clients']} normal clients (think {info['think']} s, "
             f"{info['card_share']:.0%} cards), {info['attackers']} attackers x {info['conns']} connections", "",
             "| phase | s | normal requests | p50 ms | p95 ms | p99 ms | max ms | errors | card p99 ms | "
             "highlights p99 ms | load avg (1 min) start/end |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        lines.append(f"| {r['phase']} | {r['seconds']:.0f} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | "
                     f"{r['p99_ms']} | {r['max_ms']} | {r['errors']} | {r['card']['p99_ms']} | "
                     f"{r['highlights']['p99_ms']} | {r['loadavg'][0]} / {r['loadavg'][3]} |")
    for r in runs:
        if r["error_codes"]:
            lines.append(f"\nnormal-client errors in {r['phase']}: {r['error_codes']}")
    for r in runs:
        lines.append(f"\n{r['phase']}: CPU s used: server process {r['cpu_s']['server']}, workers "
                     f"{r['cpu_s']['workers']}; normal latency by window: "
                     + "; ".join(f"{k}: n {v['n']}, p50 {v['p50_ms']}, p99 {v['p99_ms']}"
                                 for k, v in r["windows"].items()))
    att = runs[-1]["attackers"]
    lines += ["", f"attackers' answers: {att} (total {sum(att.values())})",
              f"scheduler: {info['lanes']}", "",
              "| server RSS MiB (server + workers) | start | peak | end |", "|---|---:|---:|---:|"]
    for r in runs:
        s = r["rss_mib"]
        lines.append(f"| {r['phase']} | {s[0]} | {max(s)} | {s[-1]} |")
    lines.append(f"| {IDLE_AFTER_S:.0f} s after the attack | | | {info['rss_idle']['total']} |")
    for r in runs:
        lines.append(f"\n{r['phase']} peak: server {r['rss_peak']['server']} MiB, workers {r['rss_peak']['workers']}")
    lines.append(f"{IDLE_AFTER_S:.0f} s after: server {info['rss_idle']['server']} MiB, "
                 f"workers {info['rss_idle']['workers']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="attack phase length (60)")
    ap.add_argument("--baseline-seconds", type=float, default=30.0, help="normal-only phase length (30; 0 skips)")
    ap.add_argument("--clients", type=int, default=20, help="normal clients (20)")
    ap.add_argument("--attackers", type=int, default=5, help="attacker clients (5)")
    ap.add_argument("--attacker-conns", type=int, default=6, help="connections per attacker (6)")
    ap.add_argument("--attacker-retry-s", type=float, default=0.1, help="an attacker's pause after a 429 (0.1)")
    ap.add_argument("--card-share", type=float, default=0.3, help="share of normal requests that are cards (0.3)")
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0), help="normal think time range, s (1 5)")
    ap.add_argument("--limit", type=int, default=300, help="articles used (300)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("server_args", nargs="*", help="extra `newsgist serve` flags (after --)")
    args = ap.parse_args(argv)
    articles = serve_articles(DATA, args.limit)
    if articles is None:
        return 0
    import httpx
    bodies = text_bodies(articles)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, None, args.server_args)
    try:
        startup = wait_ready(base, proc)
        for body in bodies[:6]:   # warm the HTTP path and each worker's first cards
            httpx.post(base + "/v1/card", content=body, headers={"content-type": "application/json"}, timeout=60)
        runs = []
        if args.baseline_seconds > 0:
            runs.append(asyncio.run(phase(base, proc.pid, bodies, args, False, args.baseline_seconds)))
        runs.append(asyncio.run(phase(base, proc.pid, bodies, args, True, args.seconds)))
        time.sleep(IDLE_AFTER_S)
        health = httpx.get(base + "/healthz", timeout=10).json()
        info = {"cpus": os.cpu_count(), "cmd": "newsgist serve " + " ".join(args.server_args),
                "startup_s": startup, "clients": args.clients, "think": f"{args.think[0]:g}-{args.think[1]:g}",
                "card_share": args.card_share, "attackers": args.attackers, "conns": args.attacker_conns,
                "lanes": health.get("lanes"), "rss_idle": tree_rss_mib(proc.pid)}
        if args.json:
            print(json.dumps({"info": info, "runs": runs}, indent=2))
        else:
            print(table(runs, info))
        attack = runs[-1]
        return 0 if attack["errors"] == 0 and attack["p99_ms"] <= 1000 else 1
    finally:
        stop_process(proc)


if __name__ == "__main__":
    sys.exit(main())
