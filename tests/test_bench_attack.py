"""benchmarks/bench_attack.py's verdict against issue 32's targets (no server started)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_attack  # noqa: E402


def phase(p99, windows, rss, attackers=None, retry=None, untyped=None, errors=0):
    return {"p50_ms": 20.0, "p99_ms": p99, "max_ms": p99, "errors": errors, "rss_mib": rss,
            "windows": {f"{i * 10}-{i * 10 + 10} s": {"p99_ms": w, "n": 10} for i, w in enumerate(windows)},
            "attackers": attackers or {}, "retry_after": retry or {}, "untyped": untyped or {}}


def test_a_run_that_meets_every_target():
    base = phase(400.0, [400.0, 380.0], [800.0, 810.0, 820.0])
    attack = phase(900.0, [2500.0, 700.0, 800.0], [820.0, 1000.0, 900.0],
                   attackers={"429": 100, "503": 3, "504": 2, "200": 1}, retry={"429": 100, "503": 3})
    v = bench_attack.verdict([base, attack], rss_after=[880.0, 850.0], rss_idle={"total": 850.0})
    assert v["rss_base"] == 820.0 and v["rss_peak"] == 1000.0 and v["peak_ratio"] == round(1000 / 820, 3)
    assert v["first_window_p99_ms"] == 2500.0 and v["worst_later_window_p99_ms"] == 800.0   # the first is exempt
    assert all(v["met"].values()), v["met"]
    assert "| 1 |" in bench_attack.summary_table([v]) and "**no**" not in bench_attack.summary_table([v])


def test_each_target_can_fail():
    base = phase(400.0, [400.0], [800.0])
    attack = phase(1200.0, [500.0, 1100.0], [800.0, 1100.0], errors=1,
                   attackers={"429": 10, "503": 1}, retry={"429": 9, "503": 1}, untyped={"ConnectionResetError": 2})
    v = bench_attack.verdict([base, attack], rss_after=[900.0], rss_idle={"total": 900.0})
    assert not any(v["met"].values()), v["met"]
    assert v["attackers_untyped"] == 2 and v["attackers_without_retry_after"] == 1
    assert "run 1 missed: p99, windows, errors, rss_peak, rss_after, typed" in bench_attack.summary_table([v])
