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

``--runs`` (3) runs of both phases in a row, each on a fresh server. Reported per run:
the normal clients' requests, p50/p95/p99/max latency and errors per phase and per 10-s
window; the attackers' answers by status, how many of the 429/503 carried
``Retry-After`` and how many answers were not typed (not 200/429/503/504 with an error
code, or a dropped connection); the server's RSS (server + all worker processes, from
/proc) sampled every second: the baseline (at the end of the normal-only phase), the
peak during the attack and the 10 s after it, and the RSS 10 s after the attack, with
their ratios to the baseline; the load average; the scheduler's counters from /healthz
(what was routed to the heavy worker at admission, refused, moved, stopped, killed,
replaced, and why). Then one line a run against the targets of issue 32: normal p99
<= 1 s under attack and in every 10-s window after the first, 0 errors, RSS peak <= 1.3x
baseline, 10 s after within 10 % of it, attackers typed answers only. Exit status 0 only
if every run meets every target.

Usage::

    python benchmarks/bench_attack.py                        # 3 runs, ~7 min
    python benchmarks/bench_attack.py --runs 1 --seconds 20 --baseline-seconds 10
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
RSS_EVERY_S = 1.0
IDLE_AFTER_S = 10.0
PERCENTILES = (50, 95, 99)
PUNCT = ".,;:'\"-()\u201c\u201d"
WINDOW_S = 10   # normal-client latency is also reported per window of the phase
# issue 32's targets
TARGET_P99_MS = 1000.0
TARGET_PEAK_RATIO = 1.3
TARGET_AFTER_RATIO = 1.10
TYPED = {"200", "429", "503", "504"}


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


async def attacker(host, port, ip, items, offset, t_end, outcomes, retry_s, retry_after, untyped):
    conn = Connection(host, port, ip)
    i = offset
    while time.monotonic() < t_end:
        label, path, body = items[i % len(items)]
        i += 1
        try:
            status, data = await asyncio.wait_for(conn.post(path, body), ATTACK_TIMEOUT_S)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
            outcomes[type(exc).__name__] += 1
            untyped[type(exc).__name__] += 1
            conn.close()
            continue
        outcomes[str(status)] += 1
        retry_after[str(status)] += "retry-after" in conn.headers
        if str(status) not in TYPED or (status != 200 and not _error_code(data)):
            untyped[str(status)] += 1
        if status == 429:
            await asyncio.sleep(retry_s)
    conn.close()


def _error_code(data: bytes) -> str:
    try:
        return json.loads(data)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return ""


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
    retry_after, untyped = Counter(), Counter()

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
        tasks += [attacker(host, port, f"127.0.1.{a + 1}", items, a + c, t_end, attack_out, args.attacker_retry_s,
                           retry_after, untyped)
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
            "attackers": dict(sorted(attack_out.items())), "retry_after": dict(sorted(retry_after.items())),
            "untyped": dict(untyped), "rss_mib": rss, "rss_peak": rss_detail.get("peak"),
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
    v = info["verdict"]
    lines += ["", f"attackers' answers: {att} (total {sum(att.values())}); with Retry-After: "
                  f"{runs[-1]['retry_after']}; untyped: {runs[-1]['untyped'] or 'none'}",
              f"scheduler (/healthz lanes, 10 s after the attack): {json.dumps(info['lanes'])}", "",
              "| server RSS MiB (server + workers) | start | peak | end |", "|---|---:|---:|---:|"]
    for r in runs:
        s = r["rss_mib"]
        lines.append(f"| {r['phase']} | {s[0]} | {max(s)} | {s[-1]} |")
    lines.append(f"| the {IDLE_AFTER_S:.0f} s after the attack | {info['rss_after'][0]} | {max(info['rss_after'])} | "
                 f"{info['rss_idle']['total']} |")
    for r in runs:
        lines.append(f"\n{r['phase']} peak: server {r['rss_peak']['server']} MiB, workers {r['rss_peak']['workers']}")
    lines.append(f"{IDLE_AFTER_S:.0f} s after: server {info['rss_idle']['server']} MiB, "
                 f"workers {info['rss_idle']['workers']}")
    lines.append(f"RSS baseline {v['rss_base']} MiB (end of the normal-only phase), peak {v['rss_peak']} "
                 f"(x{v['peak_ratio']}), {IDLE_AFTER_S:.0f} s after {v['rss_after']} (x{v['after_ratio']})")
    return "\n".join(lines)


def verdict(runs, rss_after: list[float], rss_idle: dict) -> dict:
    """One run against the targets of issue 32."""
    attack = runs[-1]
    base = runs[0] if len(runs) > 1 else None
    rss_base = base["rss_mib"][-1] if base else attack["rss_mib"][0]
    peak = max(attack["rss_mib"] + rss_after)
    later = [w["p99_ms"] for k, w in list(attack["windows"].items())[1:]]
    untyped = sum(attack["untyped"].values())
    no_retry = sum(attack["attackers"].get(k, 0) - attack["retry_after"].get(k, 0) for k in ("429", "503"))
    v = {"baseline_p50_ms": base["p50_ms"] if base else None, "baseline_p99_ms": base["p99_ms"] if base else None,
         "p50_ms": attack["p50_ms"], "p99_ms": attack["p99_ms"], "max_ms": attack["max_ms"],
         "first_window_p99_ms": next(iter(attack["windows"].values()), {}).get("p99_ms"),
         "worst_later_window_p99_ms": max(later) if later else float("nan"), "errors": attack["errors"],
         "rss_base": rss_base, "rss_peak": peak, "peak_ratio": round(peak / rss_base, 3),
         "rss_after": rss_idle["total"], "after_ratio": round(rss_idle["total"] / rss_base, 3),
         "attackers_untyped": untyped, "attackers_without_retry_after": no_retry}
    v["met"] = {"p99": v["p99_ms"] <= TARGET_P99_MS,
                "windows": bool(later) and max(later) <= TARGET_P99_MS,
                "errors": v["errors"] == 0, "rss_peak": v["peak_ratio"] <= TARGET_PEAK_RATIO,
                "rss_after": abs(v["after_ratio"] - 1) <= TARGET_AFTER_RATIO - 1,
                "typed": untyped == 0 and no_retry == 0}
    return v


def summary_table(verdicts: list[dict]) -> str:
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    lines = ["", f"issue 32 targets, {len(verdicts)} run(s) in a row:", "",
             "| run | baseline p50 / p99 ms | attack p50 / p99 / max ms | first 10 s p99 | worst later 10-s p99 | "
             "errors | RSS base MiB | peak (ratio) | 10 s after (ratio) | attackers untyped / no Retry-After | "
             "all met |", "|---|---|---|---:|---:|---:|---:|---|---|---|---|"]
    for i, v in enumerate(verdicts, 1):
        lines.append(f"| {i} | {v['baseline_p50_ms']} / {v['baseline_p99_ms']} | {v['p50_ms']} / {v['p99_ms']} / "
                     f"{v['max_ms']} | {v['first_window_p99_ms']} | {v['worst_later_window_p99_ms']} | {v['errors']} | "
                     f"{v['rss_base']} | {v['rss_peak']} (x{v['peak_ratio']}) | {v['rss_after']} "
                     f"(x{v['after_ratio']}) | {v['attackers_untyped']} / {v['attackers_without_retry_after']} | "
                     f"{yes(all(v['met'].values()))} |")
    for i, v in enumerate(verdicts, 1):
        missed = [k for k, ok in v["met"].items() if not ok]
        if missed:
            lines.append(f"run {i} missed: {', '.join(missed)}")
    return "\n".join(lines)


def one_run(args, bodies) -> tuple[list[dict], dict]:
    import httpx
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
        rss_after = []
        t_end = time.monotonic() + IDLE_AFTER_S
        while time.monotonic() < t_end:
            time.sleep(RSS_EVERY_S)
            rss_after.append(tree_rss_mib(proc.pid)["total"])
        rss_idle = tree_rss_mib(proc.pid)
        health = httpx.get(base + "/healthz", timeout=10).json()
        info = {"cpus": os.cpu_count(), "cmd": "newsgist serve " + " ".join(args.server_args),
                "startup_s": startup, "clients": args.clients, "think": f"{args.think[0]:g}-{args.think[1]:g}",
                "card_share": args.card_share, "attackers": args.attackers, "conns": args.attacker_conns,
                "lanes": health.get("lanes"), "rss_idle": rss_idle, "rss_after": rss_after,
                "verdict": verdict(runs, rss_after, rss_idle)}
        return runs, info
    finally:
        stop_process(proc)


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
    ap.add_argument("--runs", type=int, default=3, help="runs in a row, each on a fresh server (3)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("server_args", nargs="*", help="extra `newsgist serve` flags (after --)")
    args = ap.parse_args(argv)
    articles = serve_articles(DATA, args.limit)
    if articles is None:
        return 0
    bodies = text_bodies(articles)
    results = []
    for i in range(args.runs):
        runs, info = one_run(args, bodies)
        results.append({"info": info, "runs": runs})
        if not args.json:
            print(f"\n## run {i + 1} of {args.runs} ({time.strftime('%H:%M:%S', time.gmtime())} UTC)\n")
            print(table(runs, info), flush=True)
    verdicts = [r["info"]["verdict"] for r in results]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(summary_table(verdicts))
    return 0 if all(all(v["met"].values()) for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
