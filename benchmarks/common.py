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
