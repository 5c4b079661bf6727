"""The Ray engine of ``newsgist batch``: Ray Data reads and computes, the driver writes.

Read (a streaming JSONL datasource that keeps line numbers, or the files of a
directory) -> ``map_batches`` with :class:`RayReader`, a callable class so the
pipeline (and spaCy, for cards) is loaded once per worker actor -> the driver
iterates the results in input order (``preserve_order``) and hands them to the same
:class:`~newsgist.apps.batch.local.Ledger` and :class:`~newsgist.apps.batch.local.Writer` as the local
engine, so output lines, order, errors and ``--resume`` are identical.

Workers parse the records themselves and skip ids already done (the done set is
broadcast once through the object store); only the driver can see duplicates, so
a duplicated id that is not done yet is computed and then reported as
``duplicate_id``. On a cluster (``--address``) INPUT must be readable at the same
path on every node (shared storage, or a URI such as ``s3://``); ``-`` (stdin) is
spooled to a temporary file and so needs a local Ray.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from typing import Iterator, Optional

from newsgist.apps.batch.local import (GZIP_MAGIC, BatchError, Item, Ledger, Result, _error, list_dir, llm_bounds,
                                       parse_line, process_item, warm_up)
from newsgist.options import Options

# Rows per block yielded by the JSONL reader, and records per map_batches call.
LINES_PER_BLOCK = 256
RAY_BATCH_SIZE = 8
# CPUs reserved by the (single, streaming, I/O-bound) read task: none, so that it runs
# beside one actor per CPU (a read task holding a CPU would starve an actor).
READ_NUM_CPUS = 0
# Row states sent from the workers to the driver.
S_DONE, S_SKIP, S_POSITIONAL = "done", "skip", "positional"


def require_ray():
    """Import Ray Data, or raise a BatchError that says how to install it."""
    import logging
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")  # no per-dataset INFO lines on stderr
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise BatchError(f"the Ray engine needs Ray Data ({exc.name or exc} is not installed): "
                         "pip install 'newsgist[ray]'") from None
    # Ray Data's own progress bars are off (ours is on): do not warn about it.
    logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)
    return ray


def start_ray(ray, workers: Optional[int], address: Optional[str]) -> int:
    """Start Ray here unless it already runs (``workers`` CPUs for a local one), set Ray Data
    for ordered, quiet runs, and return the cluster's CPU count. The caller shuts Ray down
    when it started it (``not ray.is_initialized()`` before this call)."""
    if not ray.is_initialized():
        import logging
        init = {"num_cpus": workers} if workers and not address else {}
        ray.init(address=address, include_dashboard=False, logging_level=logging.WARNING,
                 log_to_driver=False, configure_logging=False, **init)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _datasources():
    from ray.data.datasource import FileBasedDatasource

    class Plain(FileBasedDatasource):
        def resolve_compression(self, path, open_args):  # as asked, never guessed from the name
            return open_args.get("compression")

    class JsonlLines(Plain):
        """Raw lines of a JSONL file (gzip by .gz suffix) with their 1-based numbers, streamed."""

        def _read_stream(self, f, path):
            import pyarrow as pa
            lines, raws, n, rest = [], [], 0, b""

            def block():
                return pa.table({"line": pa.array(lines, pa.int64()), "raw": pa.array(raws, pa.binary())})
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                parts = (rest + chunk).split(b"\n")
                rest = parts.pop()
                for raw in parts:
                    n += 1
                    lines.append(n)
                    raws.append(raw)
                    if len(lines) >= LINES_PER_BLOCK:
                        yield block()
                        lines, raws = [], []
            if rest:
                lines.append(n + 1)
                raws.append(rest)
            if lines:
                yield block()

    class Files(Plain):
        """One row per file: its path and at most ``max_bytes`` + 1 bytes."""

        def __init__(self, paths, max_bytes: int, **kw):
            super().__init__(paths, **kw)
            self.max_bytes = max_bytes

        def _read_stream(self, f, path):
            import pyarrow as pa
            yield pa.table({"path": [path], "raw": pa.array([f.read(self.max_bytes + 1)], pa.binary())})
    return JsonlLines, Files


class RayReader:
    """The map_batches callable: one instance per actor, the pipeline loaded once."""

    def __init__(self, what: str, options: dict, done_ids, root: Optional[str] = None,
                 record_timeout: Optional[float] = None):
        import ray
        self.what, self.options, self.root, self.timeout = what, Options(**options), root, record_timeout
        ref = done_ids[0]  # a list around the ObjectRef: fetched here, once per actor
        self.done = ray.get(ref) if isinstance(ref, ray.ObjectRef) else ref
        warm_up(what)

    def __call__(self, batch: dict) -> dict:
        out = {"line": [], "state": [], "id": [], "ok": [], "text": []}
        files = "path" in batch
        for i, raw in enumerate(batch["raw"]):
            if files:
                rel = os.path.relpath(batch["path"][i], self.root).replace(os.sep, "/")
                item = Item(0, rel, "file", bytes(raw))  # no line: files have no positional errors
            else:
                item = parse_line(bytes(raw), int(batch["line"][i]))
            if item is None:
                continue
            if item.error is not None:
                r, state = _error(None, item.error[0], item.error[1], item.line), S_POSITIONAL
            elif item.id in self.done:
                r, state = None, S_SKIP
            else:
                r, state = process_item(item, self.what, self.options, self.timeout), S_DONE
            out["line"].append(item.line)
            out["state"].append(state)
            out["id"].append(json.dumps(item.id))
            out["ok"].append(bool(r and r.ok))
            out["text"].append(json.dumps(r.to_line()) if r else "")
        return out


def _spool_stdin() -> str:
    head = sys.stdin.buffer.peek(2)[:2] if hasattr(sys.stdin.buffer, "peek") else b""
    fd, path = tempfile.mkstemp(prefix="newsgist-batch-", suffix=".jsonl.gz" if head == GZIP_MAGIC else ".jsonl")
    with os.fdopen(fd, "wb") as fh:
        shutil.copyfileobj(sys.stdin.buffer, fh)
    return path


def _jsonl_is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def _dataset(ray, input: str, what: str, options: Options, workers: int, done_ref,
             record_timeout: Optional[float] = None):
    JsonlLines, Files = _datasources()
    read_args = {"num_cpus": READ_NUM_CPUS}
    root = None
    if os.path.isdir(input):
        root = os.path.abspath(input)
        paths = [os.path.join(root, rel) for rel in list_dir(root)]
        if not paths:
            return None
        ds = ray.data.read_datasource(Files(paths, options.max_bytes), **read_args)
    else:
        gz = {"compression": "gzip"} if _jsonl_is_gzip(input) else {}
        ds = ray.data.read_datasource(JsonlLines([os.path.abspath(input)], open_stream_args=gz), **read_args)
    ds = ds.map_batches(RayReader, batch_size=RAY_BATCH_SIZE, batch_format="numpy",
                        compute=ray.data.ActorPoolStrategy(size=workers),
                        num_cpus=1, fn_constructor_kwargs={"what": what, "options": options.to_dict(),
                                                           "done_ids": done_ref, "root": root,
                                                           "record_timeout": record_timeout})
    return ds


def run_ray(input: str, ledger: Ledger, *, what: str, options: Options, workers: Optional[int] = None,
            address: Optional[str] = None, record_timeout: Optional[float] = None) -> Iterator[Result]:
    """Results of ``input`` on Ray Data, in input order, filtered by ``ledger`` like the local engine."""
    ray = require_ray()
    started = not ray.is_initialized()
    spooled = _spool_stdin() if input == "-" else None
    try:
        cpus = start_ray(ray, workers, address)
        if workers and workers > cpus:  # actors that can never be placed would wait forever
            print(f"newsgist batch: the Ray cluster has {cpus} CPUs: using {cpus} workers, not {workers}",
                  file=sys.stderr)
        workers = min(workers or cpus, cpus)
        workers, record_timeout = llm_bounds(options, workers, record_timeout)
        ds = _dataset(ray, spooled or input, what, options, workers, [ray.put(ledger.done_ids)], record_timeout)
        if ds is None:
            return
        for b in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for line, state, id_json, ok, text in zip(b["line"], b["state"], b["id"], b["ok"], b["text"]):
                line = int(line)
                if state == S_POSITIONAL:
                    if line not in ledger.done_lines:
                        yield Result.from_line(json.loads(text), False)
                    continue
                verdict = ledger.admit(json.loads(id_json), line)
                if verdict == "work":
                    yield Result.from_line(json.loads(text), bool(ok))
                elif verdict is not None:
                    yield verdict
    finally:
        if spooled:
            os.unlink(spooled)
        if started:
            ray.shutdown()
