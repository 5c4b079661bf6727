"""Issue 31, session 11r: can a pasted page's web era (written-today vs Dragnet 2012) be told from a
few cheap page-level features? A feasibility study on TRAINING pages only; nothing here is in the
product or in a candidate.

Pages: the written modern pages (``tests/fixtures/paste/modern`` and ``modern-train``, label 1) and
the Dragnet training pages (rendered cache ``/tmp/newsgist-paste/dragnet.jsonl``, label 0). Only
Dragnet ids with ``split_of(id) != "test"`` are parsed: a cache or data line is matched on its id
before it is decoded, so no held-out page is ever loaded. Readability, ``modern-blind`` and
``modern-sealed`` are never read.

Features (fixed before any number was computed, ``FEATURES``): route_modern's lexicon line count
(log1p) and share of non-blank lines; the latest year 1995-2029 in the page (missing: the training
fold's mean) and whether there is one; share of non-blank lines of 1-3 words; blank-line blocks per
non-blank line; lines with "©"/"copyright"; any cookie/consent word; Latin letter share; log page
length. A numpy L2 logistic regression (standardised features, Newton steps, classes weighted
equally) is scored by out-of-fold AUC under (a) 5 stratified folds by page and (b) 8 folds, each
holding out one writer batch of the written pages (ids 1-34, 35-59, ..., 185-209) with 1/8 of the
Dragnet pages at random. For each, the Dragnet share routed at the threshold that routes 75 % / 90 %
of the written pages, the threshold set on each training fold's written pages; and the same with the
year features removed, and each feature alone.

Since session 12 route_modern's lexicon is the product's whole-word one
(``newsgist.reading.pageroute``); 11r's numbers were computed with the inside-word version (c442f54).

Usage::

    python benchmarks/page_era.py            # the tables (a few seconds)
"""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_render  # noqa: E402
from bench_paste_modern import load_pages  # noqa: E402
from route_modern import MODERN_DIRS, latin_share, modern_lines  # noqa: E402
from newsgist.evaluation.train_paste import split_of  # noqa: E402

SEED = 11
L2 = 1.0                       # ridge on standardised weights; not tuned
ROUTE_SHARES = (0.75, 0.90)    # the written pages' routed shares asked for in the brief
BATCHES = [(1, 34), (35, 59), (60, 84), (85, 109), (110, 134), (135, 159), (160, 184), (185, 209)]
_YEAR = re.compile(r"(?<!\d)(199[5-9]|20[0-2]\d)(?!\d)")
_COPY = re.compile(r"©|\bcopyright\b", re.IGNORECASE)
_COOKIE = re.compile(r"cookie|consent|\bgdpr\b", re.IGNORECASE)
FEATURES = ["lex_lines", "lex_share", "year", "has_year", "short_share", "blocks_per_line",
            "copyright_lines", "cookie", "latin", "log_chars"]
YEAR_FEATURES = ("year", "has_year")


def features(text: str) -> list[float]:
    """The page-level features of ``text`` in ``FEATURES`` order (year NaN when the page has none)."""
    lines = [ln.strip() for ln in text.split("\n")]
    nonblank = [ln for ln in lines if ln]
    n = max(len(nonblank), 1)
    blocks = sum(1 for i, ln in enumerate(lines) if ln and (i == 0 or not lines[i - 1]))
    years = [int(y) for y in _YEAR.findall(text)]
    lex = modern_lines(text)
    return [math.log1p(lex), lex / n, max(years) if years else math.nan, float(bool(years)),
            sum(1 for ln in nonblank if len(ln.split()) <= 3) / n, blocks / n,
            math.log1p(sum(1 for ln in nonblank if _COPY.search(ln))), float(bool(_COOKIE.search(text))),
            latin_share(text), math.log1p(len(text))]


def dragnet_training_texts() -> list[tuple[str, str]]:
    """(id, pasted) of the rendered Dragnet training pages whose HTML still matches the cache; a line
    is decoded only when its id is a training id ([] when the data or the cache is absent)."""
    return paste_render.cached_pasted("dragnet", lambda pid: split_of(pid) != "test")


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """L2 logistic regression by Newton steps, both classes weighted to equal total; returns
    weights with the intercept last (x already standardised)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    sw = np.where(y == 1, 0.5 / y.sum(), 0.5 / (len(y) - y.sum())) * len(y)
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], L2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (sw * (p - y)) + reg * w
        hess = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """Mann-Whitney AUC, ties counted half."""
    pos, neg = score[y == 1], score[y == 0]
    gt = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(gt / (len(pos) * len(neg)))


def cross_validate(x: np.ndarray, y: np.ndarray, folds: np.ndarray, cols: list[int]):
    """Out-of-fold scores and, per ROUTE_SHARES, the routed (written, Dragnet) counts when each
    fold's threshold is the training fold's written-page quantile."""
    score = np.zeros(len(y))
    routed = {s: [0, 0] for s in ROUTE_SHARES}
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        xs = x[:, cols].copy()
        fill = np.nanmean(xs[tr], axis=0)
        xs = np.where(np.isnan(xs), fill, xs)
        mu, sd = xs[tr].mean(0), xs[tr].std(0) + 1e-9
        xs = (xs - mu) / sd
        w = fit(xs[tr], y[tr])
        s = xs @ w[:-1] + w[-1]
        score[te] = s[te]
        for share in ROUTE_SHARES:
            thr = np.quantile(s[tr & (y == 1)], 1 - share)
            routed[share][0] += int((s[te & (y == 1)] >= thr).sum())
            routed[share][1] += int((s[te & (y == 0)] >= thr).sum())
    return score, routed


def full_fit(x: np.ndarray, y: np.ndarray, cols: list[int]) -> np.ndarray:
    xs = x[:, cols].copy()
    xs = np.where(np.isnan(xs), np.nanmean(xs, axis=0), xs)
    return fit((xs - xs.mean(0)) / (xs.std(0) + 1e-9), y)


def batch_of(page_id: str) -> int:
    num = int(page_id.split("-")[0])
    return next(i for i, (lo, hi) in enumerate(BATCHES) if lo <= num <= hi)


def main() -> None:
    modern = [p for d in MODERN_DIRS for p in load_pages(d)]
    dragnet = dragnet_training_texts()
    if not dragnet:
        raise SystemExit("no rendered Dragnet training pages (run paste_render.py)")
    x = np.array([features(p["paste"]) for p in modern] + [features(t) for _, t in dragnet])
    y = np.array([1] * len(modern) + [0] * len(dragnet), dtype=float)
    rng = np.random.default_rng(SEED)
    page_folds = np.empty(len(y), dtype=int)
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        page_folds[rng.permutation(idx)] = np.arange(len(idx)) % 5
    batch_folds = np.concatenate([[batch_of(p["id"]) for p in modern],
                                  rng.permutation(np.arange(len(dragnet)) % len(BATCHES))])
    n1, n0 = int(y.sum()), int(len(y) - y.sum())
    print(f"\n## Page era on training pages: {n1} written modern pages, {n0} Dragnet training pages\n")
    print("| feature | written mean | Dragnet mean | written missing | Dragnet missing |\n|---|---:|---:|---:|---:|")
    for j, name in enumerate(FEATURES):
        col = x[:, j]
        print(f"| {name} | {np.nanmean(col[y == 1]):.3f} | {np.nanmean(col[y == 0]):.3f} | "
              f"{np.isnan(col[y == 1]).sum()} | {np.isnan(col[y == 0]).sum()} |")
    all_cols = list(range(len(FEATURES)))
    no_year = [j for j in all_cols if FEATURES[j] not in YEAR_FEATURES]
    models = [("all features", all_cols), ("without the year features", no_year),
              ("year features only", [FEATURES.index(f) for f in YEAR_FEATURES]),
              ("route_modern's lexicon + Latin only", [0, 1, 8]),
              # added after the first table (post hoc): the two features most open to the writing
              # format (page length, blank lines) dropped with the year
              ("without year, length and blank-line features (post hoc)",
               [j for j in no_year if FEATURES[j] not in ("log_chars", "blocks_per_line")])]
    models += [(f"{name} alone", [j]) for j, name in enumerate(FEATURES)]
    print("\n| model | CV | AUC | written routed / Dragnet routed @75 % | @90 % |\n|---|---|---:|---|---|")
    for label, cols in models:
        for cv_name, folds in (("5 folds by page", page_folds), ("8 writer batches", batch_folds)):
            score, routed = cross_validate(x, y, folds, cols)
            cells = [f"{routed[s][0] / n1:.3f} / {routed[s][1] / n0:.3f}" for s in ROUTE_SHARES]
            print(f"| {label} | {cv_name} | {auc(score, y):.3f} | {cells[0]} | {cells[1]} |")
    for label, cols in models[:2] + models[4:5]:
        w = full_fit(x, y, cols)
        print(f"\nStandardised weights, {label} (all pages, positive = written/today): "
              + ", ".join(f"{FEATURES[j]} {w[i]:+.2f}" for i, j in enumerate(cols)))
    yr = x[:, FEATURES.index("year")]
    print("\nLatest year in page (Dragnet training): "
          + ", ".join(f"{lo}-{hi} {int(((yr >= lo) & (yr <= hi) & (y == 0)).sum())}"
                      for lo, hi in ((1995, 2009), (2010, 2012), (2013, 2014), (2015, 2029)))
          + f", none {int((np.isnan(yr) & (y == 0)).sum())}")
    print("Latest year in page (written): "
          + ", ".join(f"{lo}-{hi} {int(((yr >= lo) & (yr <= hi) & (y == 1)).sum())}"
                      for lo, hi in ((1995, 2014), (2015, 2022), (2023, 2029)))
          + f", none {int((np.isnan(yr) & (y == 1)).sum())}")


if __name__ == "__main__":
    main()
