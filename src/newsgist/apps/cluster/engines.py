"""Where ``newsgist cluster`` reads its articles: in this process, in local worker
processes, or on Ray Data. Every engine yields the same :class:`~newsgist.corpus.records.Doc`
(or :class:`~newsgist.corpus.records.Bad`) objects in input order; only reading and
feature extraction run in parallel, the join decisions are the driver's, one article at a
time, so the stories do not depend on the engine or the number of workers.
"""
from __future__ import annotations

import os
import pickle
import sys
from collections import deque
from typing import Callable, Iterable, Iterator, Optional

from newsgist.apps.batch.records import _open_binary, chunks
from newsgist.corpus.records import read_record

# Input lines per task sent to a worker, and tasks in flight per worker: memory stays
# at about workers x 4 x 64 articles whatever the corpus size.
CHUNK_LINES = 64
CHUNKS_IN_FLIGHT_PER_WORKER = 4
# Ray: records per map_batches call.
RAY_BATCH_SIZE = 64


def iter_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw bytes)`` of a JSONL file (gzip by its magic bytes) or ``-``."""
    fh = _open_binary(path)
    try:
        for n, raw in enumerate(fh, 1):
            yield n, raw
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


_FN: dict = {}


def _init(fn, parent: int) -> None:
    import signal
    import threading
    import time
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the driver's

    def watch():   # a driver killed with -9 leaves no orphaned workers behind
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()
    _FN["fn"] = fn


def _run_chunk(chunk: list) -> list:
    fn = _FN["fn"]
    return [fn(raw, n) for n, raw in chunk]


def map_ordered(fn: Callable, lines: Iterable[tuple[int, bytes]], workers: int) -> Iterator:
    """``fn(raw, line)`` over ``lines`` in input order; ``workers`` > 1: a process pool with a
    bounded window of chunks in flight. None results (blank lines) are dropped."""
    if workers <= 1:
        for n, raw in lines:
            r = fn(raw, n)
            if r is not None:
                yield r
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(fn, os.getpid()))
    pending: deque = deque()
    window = workers * CHUNKS_IN_FLIGHT_PER_WORKER
    try:
        for chunk in chunks(lines, CHUNK_LINES):
            pending.append(pool.submit(_run_chunk, chunk))
            while len(pending) >= window:
                yield from (r for r in pending.popleft().result() if r is not None)
        while pending:
            yield from (r for r in pending.popleft().result() if r is not None)
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def read_local(path: str, workers: int = 1) -> Iterator:
    """The articles of ``path`` read (features extracted) on ``workers`` local processes."""
    return map_ordered(read_record, iter_lines(path), workers)


# --- Ray -------------------------------------------------------------------------------

class RayFeatures:
    """The map_batches callable: each row's line read to a pickled Doc/Bad (None: blank)."""

    def __call__(self, batch: dict) -> dict:
        return {"doc": [pickle.dumps(read_record(bytes(raw), int(n)), protocol=pickle.HIGHEST_PROTOCOL)
                        for n, raw in zip(batch["line"], batch["raw"])]}


def read_ray(path: str, workers: Optional[int] = None, address: Optional[str] = None) -> Iterator:
    """The articles of ``path`` read on Ray Data (the JSONL line reader of ``batch``'s Ray
    engine), in input order. ``-`` (stdin) is spooled to a temporary file first."""
    from newsgist.apps.batch.ray_engine import (READ_NUM_CPUS, _datasources, _jsonl_is_gzip, _spool_stdin,
                                                require_ray, start_ray)
    ray = require_ray()
    started = not ray.is_initialized()
    spooled = _spool_stdin() if path == "-" else None
    try:
        cpus = start_ray(ray, workers, address)
        workers = min(workers or cpus, cpus)
        src = spooled or path
        JsonlLines, _ = _datasources()
        gz = {"compression": "gzip"} if _jsonl_is_gzip(src) else {}
        ds = ray.data.read_datasource(JsonlLines([os.path.abspath(src)], open_stream_args=gz),
                                      num_cpus=READ_NUM_CPUS)
        ds = ds.map_batches(RayFeatures, batch_size=RAY_BATCH_SIZE, batch_format="numpy",
                            compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1)
        for b in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for blob in b["doc"]:
                r = pickle.loads(bytes(blob))
                if r is not None:
                    yield r
    finally:
        if spooled:
            os.unlink(spooled)
        if started:
            ray.shutdown()
