"""Stories from a corpus (issue 30): quality on ECB+ and scale on CNN/DM training articles.

    python benchmarks/bench_cluster.py quality [--orders 4]
    python benchmarks/bench_cluster.py cv [--orders 4] [--folds 7] [--chunk N]
    python benchmarks/bench_cluster.py lookalike [--incidents 24]
    python benchmarks/bench_cluster.py scale [--base 4895] [--workers 2] [--full]

``quality``: B-cubed F1 against ``subtopic`` on ../shared/data/multi/ecbplus-dev.jsonl (all
496 articles in one run), for ``newsgist cluster``'s join rule in the file's order and in
shuffled orders (the online rule depends on order), at its default and at other
thresholds, beside the baseline (TF-IDF of lower-cased words without stopwords, cosine,
average-link, cut at each threshold) computed in the same run.

``cv``: how the defaults were chosen without overfitting: 3 folds over the 21 topics; on
two folds pick the (threshold, names weight) with the best mean F1 over the orders, score
the third fold's articles (clustered on their own) with it; the baseline's threshold is
picked the same way.

``scale``: ``newsgist cluster`` (a subprocess, ``--workers``) on the first n, 2n, 4n
articles of ../shared/data/cnndm-train (and with ``--full`` all 39,160): wall time, CPU
time of the process and its workers, peak memory (largest process), the growth exponent
log(t4n / tn) / log(4); a LEAD-3 pass over 60 articles timed right before each run is a
yardstick for the machine's load at that moment (ratio printed).
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import require_data  # noqa: E402

THRESHOLDS = (0.125, 0.15, 0.175, 0.2, 0.225, 0.25, 0.3)
NUMBER_WEIGHTS = (0.25, 0.5, 1.0)
DATE_WINDOWS = (60,)   # days; --windows 14,60,36500 for the exploration (36,500: no bound)
BASELINE_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def bcubed(pred: list, gold: list) -> tuple[float, float, float]:
    """B-cubed (F1, precision, recall) of a clustering against gold labels."""
    pc, gc = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold)):
        pc[p].add(i)
        gc[g].add(i)
    prec = rec = 0.0
    for i, (p, g) in enumerate(zip(pred, gold)):
        inter = len(pc[p] & gc[g])
        prec += inter / len(pc[p])
        rec += inter / len(gc[g])
    prec, rec = prec / len(pred), rec / len(pred)
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, rec


# --- the baseline: TF-IDF + average link ------------------------------------------------

def baseline_merges(texts: list[str]):
    """TF-IDF cosine matrix and the average-link merge sequence [(i, j, similarity)]."""
    import re
    import numpy as np
    from newsgist.text import STOPWORDS
    tok = re.compile(r"(?u)\b\w\w+\b")
    docs = [Counter(w for w in tok.findall(t.lower()) if w not in STOPWORDS) for t in texts]
    df = Counter(k for d in docs for k in d)
    vocab = {k: i for i, k in enumerate(sorted(df))}
    n = len(texts)
    m = np.zeros((n, len(vocab)))
    for i, d in enumerate(docs):
        for k, c in d.items():
            m[i, vocab[k]] = c * (math.log((1 + n) / (1 + df[k])) + 1)
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    s = m @ m.T
    np.fill_diagonal(s, -np.inf)
    sizes = np.ones(n)
    merges = []
    for _ in range(n - 1):
        i, j = divmod(int(np.argmax(s)), n)
        sim = s[i, j]
        if not np.isfinite(sim):
            break
        merges.append((i, j, float(sim)))
        new = (sizes[i] * s[i] + sizes[j] * s[j]) / (sizes[i] + sizes[j])
        s[i, :] = new
        s[:, i] = new
        s[i, i] = -np.inf
        s[j, :] = -np.inf
        s[:, j] = -np.inf
        sizes[i] += sizes[j]
    return merges


def cut(merges, n: int, threshold: float) -> list[int]:
    """Clusters of the average-link merges whose similarity is at least ``threshold``."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for i, j, sim in merges:
        if sim < threshold:
            break   # average link is monotone: the rest are lower
        parent[find(j)] = find(i)
    return [find(i) for i in range(n)]


# --- newsgist cluster's rule ------------------------------------------------------------

def load_ecb():
    path = require_data("multi/ecbplus-dev.jsonl")
    return [json.loads(x) for x in path.read_text().splitlines()]


def topic_folds(recs: list, n: int):
    """Leave-topics-out folds of the ECB+ records: ``n`` groups of topics (every n-th sorted
    topic), and per fold (training indices, held-out indices)."""
    topics = sorted({r["topic"] for r in recs})
    folds = [topics[k::n] for k in range(n)]
    sels = [([i for i, r in enumerate(recs) if r["topic"] not in t], [i for i, r in enumerate(recs) if r["topic"] in t])
            for t in folds]
    return folds, sels


def run_index(feats: list, order: list[int], ids: list, **params) -> list[int]:
    """Story numbers of the articles placed in ``order``, a chunk (params ``chunk``) at a
    time as ``newsgist cluster`` places them."""
    from newsgist.corpus.index import StoryIndex
    idx = StoryIndex(params or None)
    size = idx.params["chunk"]
    pred = [0] * len(feats)
    for a in range(0, len(order), size):
        part = order[a:a + size]
        for i, (story, _) in zip(part, idx.add_batch([(ids[i], feats[i]) for i in part])):
            pred[i] = story.number
    return pred


def orders_of(n: int, k: int) -> dict:
    out = {"file": list(range(n))}
    for seed in range(1, k):
        o = list(range(n))
        random.Random(seed).shuffle(o)
        out[f"shuffle{seed}"] = o
    return out


def params_of(th: float, numbers: float, window: int, chunk: int) -> dict:
    from newsgist.corpus.index import WEIGHTS
    return {"threshold": th, "weights": {**WEIGHTS, "numbers": numbers}, "date_window": window, "chunk": chunk}


def quality(args) -> None:
    from newsgist.corpus.features import extract
    from newsgist.corpus.index import THRESHOLD, WEIGHTS
    recs = load_ecb()
    gold = [r["subtopic"] for r in recs]
    ids = [r["id"] for r in recs]
    t0 = time.perf_counter()
    feats = [extract(r["text"]) for r in recs]
    t1 = time.perf_counter()
    orders = orders_of(len(recs), args.orders)
    print(f"ECB+ dev: {len(recs)} articles, {len(set(gold))} events in {len(set(r['topic'] for r in recs))} topics; "
          f"features {1000 * (t1 - t0) / len(recs):.2f} ms/article")
    print(f"defaults: threshold {THRESHOLD}, weights {WEIGHTS}; chunk {args.chunk}\n")
    print("| method | threshold | " + " | ".join(orders) + " | mean F1 (P / R) |")
    print("|---|---|" + "---|" * (len(orders) + 1))
    for th in THRESHOLDS:
        res = [bcubed(run_index(feats, o, ids, threshold=th, chunk=args.chunk), gold) for o in orders.values()]
        mean = [sum(r[k] for r in res) / len(res) for k in range(3)]
        mark = " (default)" if th == THRESHOLD else ""
        print(f"| newsgist cluster{mark} | {th} | " + " | ".join(f"{r[0]:.3f}" for r in res)
              + f" | **{mean[0]:.3f}** ({mean[1]:.3f} / {mean[2]:.3f}) |")
    t2 = time.perf_counter()
    merges = baseline_merges([r["text"] for r in recs])
    for th in BASELINE_THRESHOLDS:
        f, p, r = bcubed(cut(merges, len(recs), th), gold)
        print(f"| TF-IDF + average link | {th} | " + " | ".join("—" for _ in orders) + f" | {f:.3f} ({p:.3f} / {r:.3f}) |")
    print(f"\nbaseline time {time.perf_counter() - t2:.1f} s (all pairs; order-free)")


def cv(args) -> None:
    """Leave-topics-out: every setting clusters all 496 articles together (as a held-out set
    of ~20 topics would be clustered); the setting is chosen by the F1 of the *other* folds'
    articles and scored on the held-out fold's (B-cubed over those articles only). Clustering
    a fold's 3 topics on their own would be a different task: the IDF of 70 articles does not
    know which words are common."""
    from newsgist.corpus.features import extract
    recs = load_ecb()
    gold = [r["subtopic"] for r in recs]
    ids = [r["id"] for r in recs]
    folds, _ = topic_folds(recs, args.folds)
    feats = [extract(r["text"]) for r in recs]
    orders = orders_of(len(recs), args.orders)
    grid = [(th, nw, dw) for th in THRESHOLDS for nw in NUMBER_WEIGHTS for dw in args.windows]
    runs = {p: [run_index(feats, o, ids, **params_of(*p, args.chunk)) for o in orders.values()] for p in grid}
    merges = baseline_merges([r["text"] for r in recs])
    base_runs = {th: cut(merges, len(recs), th) for th in BASELINE_THRESHOLDS}

    def f1_on(pred: list, sel: list[int]) -> float:
        return bcubed([pred[i] for i in sel], [gold[i] for i in sel])[0]

    def ours_on(p, sel) -> float:
        return sum(f1_on(pred, sel) for pred in runs[p]) / len(runs[p])
    print(f"chunk {args.chunk}, {args.folds} folds over the topics, {len(orders)} orders\n")
    print("| held-out fold | topics | chosen (threshold, numbers weight, date window) | newsgist cluster F1 | "
          "baseline threshold | baseline F1 |")
    print("|---|---|---|---|---|---|")
    ours, base = [], []
    for k, test in enumerate(folds):
        train_sel = [i for i, r in enumerate(recs) if r["topic"] not in test]
        test_sel = [i for i, r in enumerate(recs) if r["topic"] in test]
        best = max(grid, key=lambda p: (round(ours_on(p, train_sel), 6), -abs(p[0] - 0.2)))
        bth = max(BASELINE_THRESHOLDS, key=lambda th: f1_on(base_runs[th], train_sel))
        o, b = ours_on(best, test_sel), f1_on(base_runs[bth], test_sel)
        ours.append(o * len(test_sel))
        base.append(b * len(test_sel))
        print(f"| {k + 1} | {','.join(map(str, test))} | {best} | {o:.3f} | {bth} | {b:.3f} |", flush=True)
    n = len(recs)
    print(f"| mean (weighted by articles) | | | **{sum(ours) / n:.3f}** | | **{sum(base) / n:.3f}** |")
    print("\nall 496, per setting (mean over the orders; how flat the surface is):")
    for p in grid:
        print(f"  threshold {p[0]}, numbers {p[1]}, date window {p[2]}: {ours_on(p, list(range(n))):.3f}")


def lookalike(args) -> None:
    """Invented look-alike shooting reports (lookalike_shootings.py), B-cubed against the
    incident: on their own, and after the 496 ECB+ dev articles (a corpus whose IDF knows
    other news; scored on the reports only); the baseline in the same runs."""
    from newsgist.corpus.features import extract
    from newsgist.corpus.index import THRESHOLD
    from lookalike_shootings import reports
    reps = reports(args.incidents)
    back = load_ecb()
    print(f"{len(reps)} reports of {args.incidents} incidents; chunk {args.chunk}\n")
    print("| corpus | method | threshold | F1 (P / R) |")
    print("|---|---|---|---|")
    for label, recs in (("reports alone", reps), ("after ECB+ dev", back + reps)):
        sel = [i for i, r in enumerate(recs) if "incident" in r]
        gold = [recs[i]["incident"] for i in sel]
        feats = [extract(r["text"], r.get("date")) for r in recs]
        ids = [r["id"] for r in recs]
        for th in THRESHOLDS:
            pred = run_index(feats, list(range(len(recs))), ids, threshold=th, chunk=args.chunk)
            f, p, r = bcubed([pred[i] for i in sel], gold)
            mark = " (default)" if th == THRESHOLD else ""
            print(f"| {label} | newsgist cluster{mark} | {th} | {f:.3f} ({p:.3f} / {r:.3f}) |")
        merges = baseline_merges([r["text"] for r in recs])
        for th in BASELINE_THRESHOLDS:
            pred = cut(merges, len(recs), th)
            f, p, r = bcubed([pred[i] for i in sel], gold)
            print(f"| {label} | TF-IDF + average link | {th} | {f:.3f} ({p:.3f} / {r:.3f}) |")


# --- scale ------------------------------------------------------------------------------

def cnndm_lines(limit: int) -> list[bytes]:
    root = require_data("cnndm-train")
    out = []
    for shard in sorted(root.glob("train-*.jsonl.gz")):
        with gzip.open(shard, "rb") as fh:
            for raw in fh:
                out.append(raw)
                if len(out) >= limit:
                    return out
    return out


def lead3_yardstick(lines: list[bytes]) -> float:
    from newsgist.evaluation.evaluate import lead3_pysbd
    t = time.perf_counter()
    for raw in lines:
        lead3_pysbd(json.loads(raw)["article"])
    return time.perf_counter() - t


def run_cli(path: str, workers: int) -> dict:
    out = path + ".out.jsonl"
    cmd = [sys.executable, "-m", "newsgist", "cluster", path, "--out", out, "--overwrite", "--workers",
           str(workers), "--progress", "none"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(res.stderr[-2000:])
    stories = len({json.loads(x)["story"] for x in open(out)})
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "rss_mb": after.ru_maxrss / 1024, "stories": stories, "summary": res.stderr.strip().splitlines()[-1]}


def scale(args) -> None:
    sizes = [args.base, 2 * args.base, 4 * args.base] + ([39_160] if args.full else [])
    lines = cnndm_lines(max(sizes))
    yard = lines[:60]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, f"cnndm-{n}.jsonl")
            with open(path, "wb") as fh:
                fh.writelines(lines[:n])
            y = lead3_yardstick(yard)
            r = run_cli(path, args.workers)
            rows.append((n, r, y))
            print(f"n={n}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, peak {r['rss_mb']:.0f} MB, "
                  f"{r['stories']} stories; LEAD-3 yardstick {y:.2f} s", flush=True)
    print(f"\n| articles | wall s | CPU s (all processes) | CPU ms/article | peak RSS MB (largest process) | stories "
          f"| wall / LEAD-3 yardstick |")
    print("|---|---|---|---|---|---|---|")
    for n, r, y in rows:
        print(f"| {n} | {r['wall']:.1f} | {r['cpu']:.1f} | {1000 * r['cpu'] / n:.2f} | {r['rss_mb']:.0f} "
              f"| {r['stories']} | {r['wall'] / y:.0f} |")
    (n1, r1, y1), (n4, r4, y4) = rows[0], rows[2]
    print(f"\ngrowth exponent n -> 4n: wall {math.log(r4['wall'] / r1['wall']) / math.log(n4 / n1):.2f}, "
          f"CPU {math.log(r4['cpu'] / r1['cpu']) / math.log(n4 / n1):.2f}, "
          f"load-normalised wall {math.log((r4['wall'] / y4) / (r1['wall'] / y1)) / math.log(n4 / n1):.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("quality", "cv", "lookalike", "scale"))
    ap.add_argument("--orders", type=int, default=4, help="the file's order and this many - 1 shuffles")
    ap.add_argument("--base", type=int, default=4895, help="scale: n (then 2n, 4n)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--full", action="store_true", help="scale: also all 39,160 articles")
    ap.add_argument("--chunk", type=int, default=None, help="quality/cv: articles placed together (default: the index's)")
    ap.add_argument("--incidents", type=int, default=24, help="lookalike: invented incidents")
    ap.add_argument("--windows", type=lambda v: tuple(int(x) for x in v.split(",")), default=DATE_WINDOWS,
                    help="cv: date windows (days) in the grid, comma-separated")
    ap.add_argument("--folds", type=int, default=7, help="cv: folds over the topics")
    args = ap.parse_args()
    if args.chunk is None:
        from newsgist.corpus.index import CHUNK
        args.chunk = CHUNK
    {"quality": quality, "cv": cv, "lookalike": lookalike, "scale": scale}[args.what](args)


if __name__ == "__main__":
    main()
