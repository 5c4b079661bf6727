"""Keep BLAS (numpy, used by the learned models) to one thread per process.

Per-article matrices are tiny, so BLAS threads only add start-up and contention;
across processes they oversubscribe the cores (4x slower measured by the batch
engine on a busy 2-core machine). Call :func:`pin_blas_threads` before numpy is
imported; values the user set in the environment win.
"""
from __future__ import annotations

import os

BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def pin_blas_threads() -> None:
    for var in BLAS_THREAD_VARS:
        os.environ.setdefault(var, "1")
