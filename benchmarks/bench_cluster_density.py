"""Issue 30, session 3: re-scorings of the chunk's pair scores that were tried for held-out
quality (the numbers-conflict factor became the default), each measured by leave-topics-out CV on ECB+ dev and on the look-alike shooting
reports in the same run, beside the default and the TF-IDF baseline.

    python benchmarks/bench_cluster_density.py [--folds 7]

All 496 ECB+ dev articles are one chunk of ``newsgist cluster`` (CHUNK = 1024), so the
default row here is exactly the product's rule: the index's IDF over all 496, the pair
scores of ``linkage.pair_scores`` and ``linkage.average_link``. Each family re-scores that
matrix before the average link (the first two families start from session 2's score, the
others from the default):

- ``numbers conflict``: a pair where both articles cite at least ``min`` distinct numbers
  and share none keeps ``factor`` of its score (the default now: linkage.CONFLICT);
- ``density bar`` (the ``--density`` option): a threshold that adapts to the local density: a pair merges at
  ``max(t0, c * sqrt(sigma_i * sigma_j))``, sigma_i the score of i's k-th best partner
  (dense neighbourhoods -- two events of one kind -- get a higher bar; sparse ones the floor t0);
- ``shared neighbours``: ``(s + a * snn) / (1 + a)``, snn the share of the k best partners
  two articles have in common (where s > 0);
- ``date decay``: a dated pair ``d`` days apart keeps ``max(floor, exp(-(d - 1) / tau))`` of its score;
- a learned pair scorer: logistic regression over eight pair features (pair_features), trained
  per fold on the other topics only;
- ``neighbourhood IDF``: words and names re-weighted by ``ln((k + 1) / (m + 1)) / ln(k + 1)``,
  m the number of the article's k best partners that hold the feature (what the whole
  neighbourhood shares -- the kind of event -- weighs less), then scored again, mixed with
  the plain score half and half.

CV: leave-3-topics-out (7 folds); per fold the setting of the family's whole grid (its
parameters and the threshold) with the best B-cubed F1 on the other 18 topics' articles is
scored on the held-out 3 topics' articles (all 496 clustered together, as in bench_cluster.py
cv). The look-alike columns use the setting the most folds chose (ties: the best on all 496).
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster import BASELINE_THRESHOLDS, baseline_merges, bcubed, cut, load_ecb, topic_folds  # noqa: E402
from newsgist.corpus.features import GROUPS, extract  # noqa: E402
from newsgist.corpus.index import StoryIndex  # noqa: E402
from newsgist.corpus.linkage import _matrix, average_link, conflicts, pair_scores  # noqa: E402

THRESHOLDS = (0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25, 0.3)


def prepare(recs: list) -> dict:
    """One chunk as the index sees it: all counted into the IDF, then the unit vectors."""
    feats = [extract(r["text"], r.get("date")) for r in recs]
    idx = StoryIndex()
    for f in feats:
        idx.count(f)
    vecs = [idx.vector(f) for f in feats]
    days = [f["day"] for f in feats]
    args = (vecs, days, idx.params["weights"], idx.params["date_window"])
    c = {"vecs": vecs, "days": days, "params": idx.params, "s": pair_scores(*args, idx.params["conflict"]),
         "plain": pair_scores(*args)}   # session 2's score (no conflicting-numbers factor)
    c["numbers_held"] = np.asarray([len(v["numbers"][0]) for v in vecs])
    m = _matrix([v["numbers"] for v in vecs])
    c["numbers_cos"] = (m @ m.T).toarray()
    return c


def numbers_conflict(c: dict, least: int, factor: float) -> np.ndarray:
    return c["plain"] * conflicts(c["numbers_held"], c["numbers_cos"], {"min": least, "factor": factor})


def kth_best(s: np.ndarray, k: int) -> np.ndarray:
    return -np.sort(-s, axis=1)[:, min(k, s.shape[0] - 1) - 1]


def density_bar(c: dict, k: int, t0: float, mult: float) -> np.ndarray:
    sig = kth_best(c["s"], k)
    return c["s"] / np.maximum(t0, mult * np.sqrt(np.outer(sig, sig)))   # merges at 1.0


def shared_neighbours(c: dict, k: int, a: float) -> np.ndarray:
    s = c["s"]
    nn = np.argsort(-s, axis=1, kind="stable")[:, :k]
    m = np.zeros_like(s)
    np.put_along_axis(m, nn, 1.0, axis=1)
    return (s + a * (m @ m.T) / k * (s > 0)) / (1 + a)


def date_decay(c: dict, tau: float, floor: float) -> np.ndarray:
    d = np.asarray([np.nan if x is None else float(x) for x in c["days"]])
    apart = np.abs(d[:, None] - d[None, :])
    keep = np.where(np.isnan(apart), 1.0, np.maximum(floor, np.exp(-np.maximum(np.nan_to_num(apart) - 1, 0) / tau)))
    return c["s"] * keep


def neighbourhood_idf(c: dict, k: int) -> np.ndarray:
    s = c["s"]
    n = s.shape[0]
    nn = np.argsort(-s, axis=1, kind="stable")[:, :k]
    a = sparse.csr_matrix((np.ones(n * k), (np.repeat(np.arange(n), k), nn.ravel())), shape=(n, n))
    vecs = [dict(v) for v in c["vecs"]]
    for g in ("words", "names"):
        x = _matrix([v[g] for v in c["vecs"]]).tocsr()
        x.sum_duplicates()
        x.sort_indices()
        b = x.copy()
        b.data[:] = 1.0
        held = ((a @ b).multiply(b) + b).tocsr()   # the pattern of x; data: partners holding it + 1
        held.sort_indices()
        w = x.data * np.log((k + 1) / held.data) / np.log(k + 1)
        for i in range(n):
            lo, hi = x.indptr[i], x.indptr[i + 1]
            norm = float(np.sqrt(w[lo:hi] @ w[lo:hi])) or 1.0
            vecs[i][g] = (x.indices[lo:hi].astype(np.int64), w[lo:hi] / norm)
    again = pair_scores(vecs, c["days"], c["params"]["weights"], c["params"]["date_window"])
    return (s + again) / 2


FAMILIES = {
    "session 2 (no conflict factor)": (lambda c: c["plain"], [()], THRESHOLDS),
    "numbers conflict (min, factor)": (numbers_conflict, list(itertools.product((1, 2, 3, 4, 6),
                                                                                (0.4, 0.5, 0.6, 0.7, 0.8))),
                                       THRESHOLDS),
    "numbers conflict, threshold held at 0.2": (numbers_conflict, list(itertools.product(
        (1, 2, 3, 4, 6), (0.4, 0.5, 0.6, 0.7, 0.8))), (0.2,)),
    "default (linkage.pair_scores, CONFLICT)": (lambda c: c["s"], [()], THRESHOLDS),
    "density bar (k, t0, c)": (density_bar, list(itertools.product((5, 8, 12, 16), (0.15, 0.175, 0.2),
                                                                     (0.8, 0.9, 1.0))), (1.0,)),
    "shared neighbours (k, a)": (shared_neighbours, list(itertools.product((3, 5, 8), (0.25, 0.5, 1.0))),
                                 THRESHOLDS),
    "date decay (tau, floor)": (date_decay, list(itertools.product((5, 30), (0.5, 0.7))), THRESHOLDS),
    "neighbourhood IDF (k)": (neighbourhood_idf, [(5,), (10,), (20,)], (0.05, 0.075) + THRESHOLDS),
}


# --- a learned pair scorer (logistic regression, trained per fold on the other topics) ---

def pair_features(c: dict, k: int = 12) -> np.ndarray:
    """Per pair: session 2's score, the words / names / (capped) numbers cosines, the score where
    the numbers conflict (4+, none shared), the density term sqrt(sigma_i sigma_j) (k-th best
    partner) and the score less it, the score where both are dated more than 3 days apart."""
    s = c["plain"]
    cos = {}
    for g in GROUPS:
        m = _matrix([v[g] for v in c["vecs"]])
        cos[g] = (m @ m.T).toarray()
    held = c["numbers_held"]
    conf = (held[:, None] >= 4) & (held[None, :] >= 4) & (cos["numbers"] <= 0)
    sig = kth_best(s, k)
    dens = np.sqrt(np.outer(sig, sig))
    d = np.asarray([np.nan if x is None else float(x) for x in c["days"]])
    apart = np.nan_to_num(np.abs(d[:, None] - d[None, :])) > 3
    return np.stack([s, cos["words"], cos["names"], np.minimum(cos["numbers"], cos["words"]), conf * s,
                     dens, s - dens, apart * s, np.ones_like(s)], -1)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weights of an L2-regularised logistic regression (Newton steps)."""
    w = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + w / l2
        w -= np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + np.eye(len(w)) / l2, grad)
    return w


def learned_score(feats: np.ndarray, s: np.ndarray, w: np.ndarray) -> np.ndarray:
    p = 1 / (1 + np.exp(-feats @ w))
    p[s <= 0.05] = 0.0   # pairs the plain score calls unrelated stay so
    np.fill_diagonal(p, 0.0)
    return p


def learned(ecb: dict, recs: list, sels: list, looks: dict, inc: list, f1) -> None:
    """Leave-topics-out: per fold the scorer is trained on the other topics' pairs (same event or
    not; pairs scoring over 0.05) and its threshold chosen there, then the held-out topics are scored."""
    feats, s, gold = pair_features(ecb), ecb["plain"], np.asarray([r["subtopic"] for r in recs])
    ths = (0.3, 0.4, 0.5, 0.6, 0.7)

    def train(sel):
        sel = np.asarray(sel)
        grid = np.ix_(sel, sel)
        keep = (s[grid] > 0.05) & ~np.eye(len(sel), dtype=bool)
        return fit_logistic(feats[grid][keep], (gold[sel][:, None] == gold[sel][None, :])[keep].astype(float))
    total, chosen = 0.0, []
    for train_sel, test in sels:
        score = learned_score(feats, s, train(train_sel))
        preds = {th: clusters(score, th) for th in ths}
        th = max(ths, key=lambda t: f1(preds[t], train_sel))
        chosen.append(th)
        total += f1(preds[th], test) * len(test)
    th = Counter(chosen).most_common(1)[0][0]
    w = train(list(range(len(recs))))
    lk = [f1(clusters(learned_score(pair_features(c), c["plain"], w), th), sel,
             [None] * (len(c["s"]) - len(inc)) + inc if len(c["s"]) > len(inc) else inc) for c, sel in looks.values()]
    print(f"| learned pair scorer (logistic regression, 8 features) | **{total / len(recs):.3f}** | {th} "
          f"({chosen.count(th)}/{len(sels)}) | {f1(clusters(learned_score(feats, s, w), th), list(range(len(recs)))):.3f} "
          f"| {lk[0]:.3f} | {lk[1]:.3f} |")
    print(f"\n(learned weights on all 496: {np.round(w, 2).tolist()})")


def clusters(score: np.ndarray, th: float) -> list[int]:
    pred = [0] * score.shape[0]
    for k, members in enumerate(average_link(score, th)):
        for p in members:
            pred[p] = k
    return pred


def grid_preds(fn, ecb, grid, ths, cut=None) -> dict:
    """A family's clusters at every (setting..., threshold): ``fn(ecb, *setting)`` scores the
    pairs once a setting, each threshold cuts them (``cut``, default :func:`clusters`)."""
    cut = cut or clusters
    preds = {}
    for p in grid:
        score = fn(ecb, *p)
        for th in ths:
            preds[(*p, th)] = cut(score, th)
    return preds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=7)
    args = ap.parse_args()
    from lookalike_shootings import reports
    recs = load_ecb()
    gold = [r["subtopic"] for r in recs]
    folds, sels = topic_folds(recs, args.folds)
    ecb = prepare(recs)
    reps = reports(24)
    looks = {"alone": (prepare(reps), list(range(len(reps)))),
             "after ECB+": (prepare(recs + reps), list(range(len(recs), len(recs) + len(reps))))}
    inc = [r["incident"] for r in reps]

    def f1(pred, sel, lab=gold):
        return bcubed([pred[i] for i in sel], [lab[i] for i in sel])[0]
    everything = list(range(len(recs)))
    print(f"ECB+ dev {len(recs)} articles, leave-{len(folds[0])}-topics-out ({args.folds} folds); "
          f"look-alike {len(reps)} reports of {len(set(inc))} incidents\n")
    print("| family | CV F1 (held-out topics) | chosen (most folds) | ECB+ F1 in-sample at it | "
          "look-alike alone | look-alike after ECB+ |")
    print("|---|---|---|---|---|---|")
    for name, (fn, grid, ths) in FAMILIES.items():
        preds = grid_preds(fn, ecb, grid, ths)
        total, chosen = 0.0, []
        for train, test in sels:
            best = max(preds, key=lambda q: f1(preds[q], train))
            chosen.append(best)
            total += f1(preds[best], test) * len(test)
        counts = Counter(chosen)
        pick = max(counts, key=lambda q: (counts[q], f1(preds[q], everything)))
        lk = [f1(clusters(fn(c, *pick[:-1]), pick[-1]), sel, [None] * (len(c["s"]) - len(inc)) + inc
                 if len(c["s"]) > len(inc) else inc) for c, sel in looks.values()]
        print(f"| {name} | **{total / len(recs):.3f}** | {pick} ({counts[pick]}/{args.folds}) | "
              f"{f1(preds[pick], everything):.3f} | {lk[0]:.3f} | {lk[1]:.3f} |", flush=True)
    from bench_cluster import run_index
    from newsgist.corpus.index import DENSITY
    feats = [extract(r["text"]) for r in recs]
    for label, extra in (("newsgist cluster (default)", {}), ("newsgist cluster --density", {"density": DENSITY})):
        pred = run_index(feats, everything, [r["id"] for r in recs], **extra)
        print(f"| {label}: the product's path, all 496 | | | {f1(pred, everything):.3f} | | |")
    merges = baseline_merges([r["text"] for r in recs])
    base = {th: cut(merges, len(recs), th) for th in BASELINE_THRESHOLDS}
    total = 0.0
    for train, test in sels:
        th = max(BASELINE_THRESHOLDS, key=lambda t: f1(base[t], train))
        total += f1(base[th], test) * len(test)
    print(f"| TF-IDF + average link (baseline) | **{total / len(recs):.3f}** | | | | |")
    learned(ecb, recs, sels, looks, inc, f1)


if __name__ == "__main__":
    main()
