"""Benchmark ``newsgist batch``: throughput, scaling with workers, and memory over time.

Data: ``../shared/data/cnndm/validation-1000.jsonl`` repeated (with fresh ids) to
``--n`` articles (default 10,000); skipped with a message when the file is absent.

Each configuration (engine x workers x what) runs the real CLI in a subprocess,
``--progress none``, into a fresh output file. While it runs, the resident memory of
the whole process tree (the driver, its worker processes, and for Ray the raylet,
GCS and actors) is sampled every ``SAMPLE_S`` seconds from ``/proc``: the table shows
the peak of the sum of PSS (proportional set size: pages shared after ``fork`` are
counted once) and the peaks in the first and last quarter of the run, which are
equal when memory is flat. Rates: ``art/s`` is articles over the whole wall time
(start-up included); ``steady`` is the rate between 10% and 90% of the lines written
(start-up, model loading and the tail left out), the number that scales. ``cores
used`` is the CPU time of the process tree over the wall time, and ``load before``
the 1-minute load average when the run started: on a shared machine a 2-worker run
that gets fewer than 2 cores cannot scale 2x. ``art/CPU-s`` (articles per CPU-second
of the tree) shows the overhead of more workers independently of that: equal values
for 1 and 2 workers mean 2 free cores would give 2x. (CPU of Ray's processes, which
the command does not reap, is sampled from /proc, so their last 0.25 s may be missed.)

Usage::

    python benchmarks/bench_batch.py                  # 10,000 highlights, 100 cards
    python benchmarks/bench_batch.py --n 2000 --card-n 50 --engines local
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO_ROOT, require_data  # noqa: E402

DATA = "cnndm/validation-1000.jsonl"
DEFAULT_N = 10_000
DEFAULT_CARD_N = 100
SAMPLE_S = 0.25
# The steady rate is measured between these fractions of the articles written.
STEADY_FROM, STEADY_TO = 0.1, 0.9
STEADY_MIN_SAMPLES = 4
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
CLK_TCK = os.sysconf("SC_CLK_TCK")


def make_corpus(src: Path, dest: Path, n: int) -> None:
    """``src``'s records repeated to ``n``, ids made unique (``ID~k``), streamed."""
    written, k = 0, 0
    with open(dest, "w", encoding="utf-8") as out:
        while written < n:
            with open(src, encoding="utf-8") as fh:
                for line in fh:
                    if written >= n:
                        break
                    rec = json.loads(line)
                    out.write(json.dumps({"id": f"{rec['id']}~{k}", "article": rec["article"]}) + "\n")
                    written += 1
            k += 1


def _tree(root: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [p for p, pp in parents.items() if pp in frontier]
        tree += frontier
    return tree


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return 0.0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    except OSError:
        return 0


class Sampler(threading.Thread):
    """Samples the PSS of the process tree (MiB) and the lines written so far, until stopped."""

    def __init__(self, pid: int, outputs: list[Path]):
        super().__init__(daemon=True)
        self.pid, self.outputs, self.stop = pid, outputs, threading.Event()
        self.samples, self.progress = [], []   # (t, MiB), (t, lines)
        self._offsets, self._lines = {}, 0
        self.cpu = {}                          # pid -> CPU seconds at its last sample

    def _count_lines(self) -> int:
        for p in self.outputs:
            try:
                with open(p, "rb") as fh:
                    fh.seek(self._offsets.get(p, 0))
                    data = fh.read()
            except OSError:
                continue
            self._offsets[p] = self._offsets.get(p, 0) + len(data)
            self._lines += data.count(b"\n")
        return self._lines

    def run(self):
        t0 = time.monotonic()
        while not self.stop.is_set():
            t = time.monotonic() - t0
            tree = _tree(self.pid)
            self.samples.append((t, sum(_pss_kb(p) for p in tree) / 1024))
            for p in tree:
                self.cpu[p] = max(self.cpu.get(p, 0.0), _cpu_s(p))
            self.progress.append((t, self._count_lines()))
            self.stop.wait(SAMPLE_S)

    def steady_rate(self, n: int) -> float:
        """Lines/s between 10% and 90% of ``n`` written (start-up and tail left out)."""
        lo = next(((t, c) for t, c in self.progress if c >= STEADY_FROM * n), None)
        hi = next(((t, c) for t, c in self.progress if c >= STEADY_TO * n), None)
        if not lo or not hi or hi[0] - lo[0] < STEADY_MIN_SAMPLES * SAMPLE_S:  # too bursty to tell
            return float("nan")
        return (hi[1] - lo[1]) / (hi[0] - lo[0])

    def summary(self) -> tuple[float, float, float]:
        if not self.samples:
            return 0.0, 0.0, 0.0
        end = self.samples[-1][0] or 1.0
        first = [m for t, m in self.samples if t <= end / 4] or [0.0]
        last = [m for t, m in self.samples if t >= 3 * end / 4] or [0.0]
        return max(m for _, m in self.samples), max(first), max(last)


def run_one(corpus: Path, outdir: Path, engine: str, workers: int, what: str, n: int, method: str) -> dict:
    out = outdir / f"{engine}-{what}-{workers}.jsonl"
    errs = outdir / f"{engine}-{what}-{workers}.errors.jsonl"
    cmd = [sys.executable, "-m", "newsgist", "batch", str(corpus), "-o", str(out), "--overwrite",
           "--workers", str(workers), "--what", what, "--engine", engine, "--progress", "none"]
    if method != "default":
        cmd += ["--method", method]
    load = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    sampler = Sampler(proc.pid, [out, errs])
    sampler.start()
    _, err = proc.communicate()
    wall = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.stop.set()
    sampler.join()
    # Reaped children are counted exactly; Ray's actors (not reaped by the command) as sampled.
    cpu = max((cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime), sum(sampler.cpu.values()))
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    lines = sum(1 for _ in open(out, "rb")) + sum(1 for _ in open(errs, "rb"))
    if lines != n:
        raise SystemExit(f"{out}: {lines} lines for {n} articles")
    peak, first, last = sampler.summary()
    return {"engine": engine, "what": what, "workers": workers, "n": n, "wall_s": wall, "rate": n / wall,
            "steady": sampler.steady_rate(n), "peak_mb": peak, "first_mb": first,
            "last_mb": last, "cores": cpu / wall, "load": load}


def print_table(rows: list[dict], method: str) -> None:
    base = {(r["engine"], r["what"]): r for r in rows if r["workers"] == 1}
    if method == "default":
        from newsgist.highlighting.methods import default_method
        method = f"default ({default_method()})"
    print(f"\ncpus: {os.cpu_count()}  python: {sys.version.split()[0]}  method: {method}")
    print("| engine | what | n | workers | wall s | art/s | steady art/s | x vs 1 worker (steady) |"
          " peak PSS MiB | first-quarter peak | last-quarter peak | cores used | load before | art/CPU-s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        b = base.get((r["engine"], r["what"]))
        x = f"{r['steady'] / b['steady']:.2f}x" if b and b["steady"] > 0 else "-"
        print(f"| {r['engine']} | {r['what']} | {r['n']} | {r['workers']} | {r['wall_s']:.1f} | {r['rate']:.1f} |"
              f" {r['steady']:.1f} | {x} | {r['peak_mb']:.0f} | {r['first_mb']:.0f} | {r['last_mb']:.0f} |"
              f" {r['cores']:.2f} | {r['load']:.1f} | {r['n'] / max(1e-9, r['cores'] * r['wall_s']):.1f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=DEFAULT_N, help="articles for --what highlights (default %(default)s)")
    ap.add_argument("--card-n", type=int, default=DEFAULT_CARD_N, help="articles for --what card (0: skip)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts (default %(default)s)")
    ap.add_argument("--engines", default="local,ray", help="comma-separated engines (default %(default)s)")
    ap.add_argument("--method", default="default", help="highlight method (default: the CLI's default)")
    ap.add_argument("--json", help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    src = require_data(DATA)
    method = args.method
    engines = args.engines.split(",")
    if "ray" in engines:
        try:
            import ray.data  # noqa: F401  (is the extra installed?)
        except ImportError:
            print("ray: not installed (pip install 'newsgist[ray]'): Ray rows skipped")
            engines = [e for e in engines if e != "ray"]
    workers = [int(w) for w in args.workers.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        plan = [("highlights", args.n)] + ([("card", args.card_n)] if args.card_n else [])
        for what, n in plan:
            corpus = tmp / f"corpus-{n}.jsonl"
            make_corpus(src, corpus, n)
            for engine in engines:
                for w in workers:
                    r = run_one(corpus, tmp, engine, w, what, n, method)
                    print(f"{engine:5s} {what:10s} n={n} workers={w}: {r['wall_s']:.1f} s, {r['rate']:.1f} art/s, "
                          f"steady {r['steady']:.1f} art/s, peak {r['peak_mb']:.0f} MiB", flush=True)
                    rows.append(r)
    print_table(rows, method)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
