"""The service's shape check at admission (issue 32): its measures on real inputs and on the
attack shapes, how often it would send a real input to the heavy worker, and what it costs.

Reads CNN validation-1000 and test-public-500, BBC, and the real HTML pages of Dragnet and
the readability test pages (``../shared/data``), plus the slow shapes of
``benchmarks/bench_attack.py``; for each set prints the maximum and 99th percentile of
every measure of :func:`newsgist.apps.service.admission.measure`, the share of inputs
the check routes to the heavy worker (card and highlights) with the reasons, and the
check's CPU time per input (median, p99, max; ``time.thread_time``). ``--cpu N`` also times the card and the
highlights of N validation articles in this process (CPU seconds, ``time.process_time``;
robust to other load on the machine) and prints the cost per character, against
``CARD_CPU_PER_CHAR`` / ``HIGHLIGHTS_CPU_PER_CHAR``.

Usage::

    python benchmarks/bench_admission.py
    python benchmarks/bench_admission.py --cpu 60
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_path  # noqa: E402

from newsgist.apps.service import admission  # noqa: E402
from newsgist.apps.service.engine import DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS  # noqa: E402

SETS = (("CNN validation-1000", "cnndm/validation-1000.jsonl", "article", False),
        ("CNN test-public-500", "cnndm/test-public-500.jsonl", "article", False),
        ("BBC", "bbc/bbc-news-summary.jsonl", "article", False),
        ("Dragnet pages (HTML)", "html/dragnet-1381.jsonl.gz", "html", True),
        ("readability pages (HTML)", "html/readability-testpages-130.jsonl", "html", True))
MEASURES = ("chars", "text_chars", "longest_sentence", "punct_per_k", "quotes_per_k", "html_depth",
            "html_blocks_per_k")


def read_set(relpath: str, field: str) -> list[str] | None:
    path = data_path(relpath)
    if not path.exists():
        return None
    opener = gzip.open if relpath.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line)[field] for line in fh if line.strip()]


def attack_inputs() -> list[tuple[str, str, bool, bool]]:
    from bench_attack import shapes
    out = []
    for label, path, body in shapes():
        b = json.loads(body)
        html = "html" in b
        out.append((label, b.get("html") or b.get("text"), html, path.endswith("highlights")))
    return out


def route(text: str, html: bool, highlights_only: bool) -> tuple[str | None, float]:
    job = {"text": text, "kind": "html" if html else "text", "highlights_only": highlights_only}
    t0 = time.thread_time()   # CPU time: a loaded machine's preemptions do not count
    reason, _ = admission.heavy_reason(job, DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS)
    return reason, (time.thread_time() - t0) * 1e6


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q / 100 * len(values)))] if values else float("nan")


def report_set(name: str, texts: list[str], html: bool) -> None:
    shapes = [admission.measure(t, html=html) for t in texts]
    print(f"\n{name}: {len(texts)} inputs")
    print("| measure | p50 | p99 | max |\n|---|---:|---:|---:|")
    for m in MEASURES:
        vals = [getattr(s, m) for s in shapes]
        print(f"| {m} | {pct(vals, 50)} | {pct(vals, 99)} | {max(vals)} |")
    for highlights_only in (False, True):
        routed = [route(t, html, highlights_only) for t in texts]
        reasons = Counter(r for r, _ in routed if r)
        us = [u for _, u in routed]
        print(f"{'highlights' if highlights_only else 'card'}: heavy {sum(reasons.values())}/{len(texts)} "
              f"{dict(reasons)}; check {pct(us, 50):.0f} CPU us median, {pct(us, 99):.0f} p99, {max(us):.0f} max")


def report_cpu(n: int) -> None:
    from newsgist.api import read
    from newsgist.apps.service.engine import init_worker
    texts = read_set("cnndm/validation-1000.jsonl", "article")[:n]
    init_worker()
    print(f"\nCPU cost on {n} validation articles (this process, time.process_time):")
    print("| mode | median CPU s | max CPU s | median us/char | max us/char | expected (admission) max ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for highlights_only in (False, True):
        secs, per, ratio = [], [], []
        for t in texts:
            t0 = time.process_time()
            read(t, highlights_only=highlights_only) if highlights_only else read(t)
            s = time.process_time() - t0
            secs.append(s)
            per.append(1e6 * s / len(t))
            job = {"text": t, "kind": "text", "highlights_only": highlights_only}
            ratio.append(s / admission.expected_cpu_s(job, None))
        print(f"| {'highlights' if highlights_only else 'card'} | {pct(secs, 50):.3f} | {max(secs):.3f} | "
              f"{pct(per, 50):.1f} | {max(per):.1f} | {max(ratio):.2f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cpu", type=int, default=0, help="also time N validation articles' card and highlights")
    args = ap.parse_args(argv)
    for name, rel, field, html in SETS:
        texts = read_set(rel, field)
        if texts is None:
            print(f"\n{name}: skipped ({rel} not found under ../shared/data)")
            continue
        report_set(name, texts, html)
    print("\nattack shapes (bench_attack.py):")
    print("| shape | chars | text chars | longest sentence | punct/k | quotes/k | depth | blocks/k | "
          "route | check CPU us |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for label, text, html, highlights_only in attack_inputs():
        s = admission.measure(text, html=html)
        reason, us = route(text, html, highlights_only)
        print(f"| {label} | {s.chars} | {s.text_chars} | {s.longest_sentence} | {s.punct_per_k} | "
              f"{s.quotes_per_k} | {s.html_depth} | {s.html_blocks_per_k} | {reason or 'normal'} | {us:.0f} |")
    if args.cpu:
        report_cpu(args.cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
