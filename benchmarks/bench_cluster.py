"""Stories from a corpus (issue 30): quality on ECB+ and scale on CNN/DM training articles.

    python benchmarks/bench_cluster.py quality [--orders 4]
    python benchmarks/bench_cluster.py cv [--orders 4]
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

THRESHOLDS = (0.15, 0.2, 0.225, 0.25, 0.275, 0.3, 0.35)
NAME_WEIGHTS = (0.5, 1.0, 2.0)
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


def run_index(feats: list, order: list[int], ids: list, **params) -> list[int]:
    from newsgist.corpus.index import StoryIndex
    idx = StoryIndex(params or None)
    pred = [0] * len(feats)
    for i in order:
        pred[i] = idx.add(ids[i], feats[i])[0].number
    return pred


def orders_of(n: int, k: int) -> dict:
    out = {"file": list(range(n))}
    for seed in range(1, k):
        o = list(range(n))
        random.Random(seed).shuffle(o)
        out[f"shuffle{seed}"] = o
    return out


def params_of(th: float, names: float) -> dict:
    from newsgist.corpus.index import WEIGHTS
    return {"threshold": th, "weights": {**WEIGHTS, "names": names}}


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
    print(f"defaults: threshold {THRESHOLD}, weights {WEIGHTS}\n")
    print("| method | threshold | " + " | ".join(orders) + " | mean F1 (P / R) |")
    print("|---|---|" + "---|" * (len(orders) + 1))
    for th in THRESHOLDS:
        res = [bcubed(run_index(feats, o, ids, threshold=th), gold) for o in orders.values()]
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
    from newsgist.corpus.features import extract
    recs = load_ecb()
    topics = sorted({r["topic"] for r in recs})
    folds = [topics[k::3] for k in range(3)]
    feats = [extract(r["text"]) for r in recs]

    def score_ours(sel: list[int], params: dict) -> float:
        sub_f, sub_g, sub_i = [feats[i] for i in sel], [recs[i]["subtopic"] for i in sel], [recs[i]["id"] for i in sel]
        res = [bcubed(run_index(sub_f, o, sub_i, **params), sub_g)[0] for o in orders_of(len(sel), args.orders).values()]
        return sum(res) / len(res)

    def score_base(sel: list[int], th: float, merges) -> float:
        return bcubed(cut(merges, len(sel), th), [recs[i]["subtopic"] for i in sel])[0]
    print("| held-out fold | topics | chosen (threshold, names weight) | newsgist cluster F1 | baseline threshold | baseline F1 |")
    print("|---|---|---|---|---|---|")
    ours, base = [], []
    for k, test in enumerate(folds):
        train_sel = [i for i, r in enumerate(recs) if r["topic"] not in test]
        test_sel = [i for i, r in enumerate(recs) if r["topic"] in test]
        grid = [(th, nw) for th in THRESHOLDS for nw in NAME_WEIGHTS]
        best = max(grid, key=lambda p: (score_ours(train_sel, params_of(*p)), -abs(p[0] - 0.25)))
        tm = baseline_merges([recs[i]["text"] for i in train_sel])
        bth = max(BASELINE_THRESHOLDS, key=lambda th: score_base(train_sel, th, tm))
        o = score_ours(test_sel, params_of(*best))
        b = score_base(test_sel, bth, baseline_merges([recs[i]["text"] for i in test_sel]))
        ours.append(o)
        base.append(b)
        print(f"| {k + 1} | {','.join(map(str, test))} | {best} | {o:.3f} | {bth} | {b:.3f} |")
    print(f"| mean | | | **{sum(ours) / 3:.3f}** | | **{sum(base) / 3:.3f}** |")


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
    ap.add_argument("what", choices=("quality", "cv", "scale"))
    ap.add_argument("--orders", type=int, default=4, help="the file's order and this many - 1 shuffles")
    ap.add_argument("--base", type=int, default=4895, help="scale: n (then 2n, 4n)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--full", action="store_true", help="scale: also all 39,160 articles")
    args = ap.parse_args()
    {"quality": quality, "cv": cv, "scale": scale}[args.what](args)


if __name__ == "__main__":
    main()
