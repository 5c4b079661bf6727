"""Shared helpers for the benchmark scripts in ``benchmarks/``.

Benchmarks read data from ``../shared/data`` (next to the repository, never inside
it) and exit 0 with a ``skipped: ...`` message when it is absent, so CI without the
data stays green.
"""
from __future__ import annotations

import resource
import statistics
import sys
from pathlib import Path
from typing import Iterable

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT.parent / "shared" / "data"


def data_path(relpath: str) -> Path:
    """Path of ``relpath`` under ``../shared/data`` (may not exist)."""
    return DATA_DIR / relpath


def require_data(relpath: str) -> Path:
    """Path of ``relpath`` under ``../shared/data``; if it is missing, print
    ``skipped: ../shared/data/<relpath> not found`` and exit with status 0."""
    p = data_path(relpath)
    if not p.exists():
        print(f"skipped: ../shared/data/{relpath} not found (looked in {p})")
        sys.exit(0)
    return p


def pop_option(args: list[str], name: str, default=None):
    """Remove ``name VALUE`` from ``args`` and return VALUE (``default`` if absent)."""
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def pin_one_core() -> str:
    """Pin this process to its first allowed core (one-core timings); says whether it could."""
    import os
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return "pinned to one core"
    except (AttributeError, OSError):
        return "not pinned"


def median(values: Iterable[float]) -> float:
    """Median of ``values`` (0.0 for none)."""
    vals = list(values)
    return statistics.median(vals) if vals else 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def first_records(path, n: int) -> list[dict]:
    """The first ``n`` JSON lines of ``path`` (read no further)."""
    import json
    out: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if len(out) >= n:
                break
            out.append(json.loads(line))
    return out


def stop_process(proc, wait_s: float = 30) -> None:
    """SIGTERM ``proc`` (a server the benchmark started); SIGKILL it if it is still up after ``wait_s``."""
    import subprocess
    proc.terminate()
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()


def interleaved_times(recs: list[dict], rows: dict, on_result=None) -> dict[str, list[float]]:
    """ms per article of each ``rows[name](article)``, the rows interleaved article by
    article so machine noise hits all rows alike; ``on_result(name, out)`` sees each output."""
    import time
    times: dict[str, list[float]] = {k: [] for k in rows}
    for r in recs:
        for k, fn in rows.items():
            t0 = time.perf_counter()
            out = fn(r["article"])
            times[k].append((time.perf_counter() - t0) * 1000)
            if on_result is not None:
                on_result(k, out)
    return times


def p90(values: Iterable[float]) -> float:
    """The 90th percentile (nearest rank below) of ``values``."""
    v = sorted(values)
    return v[int(0.9 * (len(v) - 1))]


def print_speed_table(title: str, times: dict[str, list[float]], base: str) -> float:
    """Print ``## title`` and a markdown table of median/p90 ms and the ratio to row
    ``base`` (LEAD-3); returns the base median."""
    base_ms = median(times[base])
    print(f"\n## {title}\n")
    print("| what | median ms/article | p90 ms | × lead3 (pysbd) |\n|---|---|---|---|")
    for k, v in times.items():
        print(f"| {k} | {median(v):.2f} | {p90(v):.2f} | {median(v) / base_ms:.2f} |")
    return base_ms
