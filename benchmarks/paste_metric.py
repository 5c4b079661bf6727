"""The outside bar's metric for extracted article text (issue 31, session 13a): 4-token shingles,
page-normalised counts, precision and recall averaged over pages, F1 of the two means.

Issue 31's outside measurement (181 held-out pages of other outlets; whole page 0.667, HTML path
0.957) matches the public ScrapingHub (Zyte) article-extraction benchmark (2019), whose
``evaluate.py`` (MIT licence) publishes this method. The code here is written from its description,
not copied; that benchmark's pages and ground truth were never read (they are the held-out set).

- tokens: ``re.findall(r"\\w+", text)``, case KEPT (``bench_html.tokens`` lower-cases; this does not);
- a page's items: its 4-token shingles (tuples of 4 consecutive tokens) as a multiset; a text of
  1 to 3 tokens gives one shorter shingle of all its tokens; an empty text gives none;
- tp = sum over shingles of min(gold count, predicted count), fp = the predicted excess, fn = the
  gold excess; the page's (tp, fp, fn) are then divided by their sum (when > 0), so every page
  weighs the same (this changes no page's precision or recall: both are ratios);
- page precision tp / (tp + fp), recall tp / (tp + fn); fp == fn == 0 gives 1 and 1; else
  tp == fp == 0 gives precision 0, tp == fn == 0 recall 0;
- a set's precision: the MEAN of page precisions over its pages with tp + fp > 0 (a page with no
  output has none); its recall: the mean of page recalls over pages with tp + fn > 0 (a page with
  empty gold has none); F1: the harmonic mean of those two means (not a mean of page F1s);
- confidence: bootstrap over pages (``BOOTSTRAP_N`` resamples, seed ``BOOTSTRAP_SEED``); the
  published ``±`` is 1.96 x the bootstrap SD of F1 (``Z``); a paired comparison of two systems on
  the same pages resamples the same pages for both and takes the SD of the F1 difference.

Run as a script on a ``bench_paste.py --json`` file (rows with ``tp4 fp4 fn4``), it prints, per set
and Readability half, each system's mean page F1 (ours), its mean page F1-4 and F1-4 of means, then
the page model's paired F1-4 change against each other system (aggregates only)::

    python benchmarks/paste_metric.py rows.json
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

TOKEN_RE = re.compile(r"\w+")
SHINGLE = 4            # the published method's shingle length
BOOTSTRAP_N = 1000     # resamples (the brief of session 13a; fixed, so every run prints the same interval)
BOOTSTRAP_SEED = 0     # numpy default_rng seed (fixed: two runs on the same pages give the same interval)
Z = 1.96               # the published half-width: 1.96 x the bootstrap SD


def shingles(text: str, n: int = SHINGLE) -> Counter:
    """The multiset of ``n``-token shingles of ``text`` (case kept; a text of fewer than ``n`` tokens
    gives one shingle of all of them, an empty one none)."""
    toks = TOKEN_RE.findall(text or "")
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def page_counts(pred: str, gold: str) -> tuple[float, float, float]:
    """``(tp, fp, fn)`` of ``pred`` against ``gold``, divided by their sum (all 0 when both are empty)."""
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    fp, fn = sum(p.values()) - tp, sum(g.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_pr(tp: float, fp: float, fn: float) -> tuple[float, float]:
    """A page's ``(precision, recall)`` with the published method's edge rules."""
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    p = 0.0 if tp == 0 and fp == 0 else tp / (tp + fp)
    r = 0.0 if tp == 0 and fn == 0 else tp / (tp + fn)
    return p, r


def _f1(p, r):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)


def _columns(counts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per page: precision, whether it counts for the precision mean, recall, whether it counts for recall."""
    arr = np.asarray(counts, dtype=float).reshape(-1, 3)
    pr = np.array([page_pr(*c) for c in arr]).reshape(-1, 2)
    return pr[:, 0], arr[:, 0] + arr[:, 1] > 0, pr[:, 1], arr[:, 0] + arr[:, 2] > 0


def _means(cols, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Set precision and recall of each row of page indices ``idx`` (a set with no page that counts: 0)."""
    p, mp, r, mr = cols
    np_, nr = mp[idx].sum(axis=-1), mr[idx].sum(axis=-1)
    pm = np.where(np_ > 0, (p * mp)[idx].sum(axis=-1) / np.maximum(np_, 1), 0.0)
    rm = np.where(nr > 0, (r * mr)[idx].sum(axis=-1) / np.maximum(nr, 1), 0.0)
    return pm, rm


def aggregate(counts) -> dict:
    """The set's ``p``, ``r`` (means of page precision / recall over the pages that have one), ``f1``
    (their harmonic mean), ``n`` (pages), ``n_p`` / ``n_r`` (pages in each mean). ``counts``: one
    ``(tp, fp, fn)`` a page (:func:`page_counts`)."""
    cols = _columns(counts)
    n = len(cols[0])
    pm, rm = _means(cols, np.arange(n))
    return {"p": float(pm), "r": float(rm), "f1": float(_f1(pm, rm)), "n": n,
            "n_p": int(cols[1].sum()), "n_r": int(cols[3].sum())}


def _resamples(n: int, n_boot: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def bootstrap(counts, n_boot: int = BOOTSTRAP_N, seed: int = BOOTSTRAP_SEED) -> dict:
    """:func:`aggregate` plus the bootstrap over pages: ``sd`` (of F1 over ``n_boot`` resamples of the
    pages, with replacement), ``pm`` (``Z`` x ``sd``, the published ``±``) and the percentile interval
    ``lo`` / ``hi`` (2.5 % and 97.5 %). No page: the SD and interval are NaN. The pages are sorted by
    their counts first, so the same pages in any order give the same interval."""
    counts = sorted(tuple(map(float, c)) for c in counts)     # the interval does not hang on the pages' order
    out = aggregate(counts)
    if not out["n"]:
        return {**out, "sd": float("nan"), "pm": float("nan"), "lo": float("nan"), "hi": float("nan")}
    f1 = _f1(*_means(_columns(counts), _resamples(out["n"], n_boot, seed)))
    sd = float(np.std(f1))
    return {**out, "sd": sd, "pm": Z * sd, "lo": float(np.percentile(f1, 2.5)), "hi": float(np.percentile(f1, 97.5))}


def paired_bootstrap(counts_a, counts_b, n_boot: int = BOOTSTRAP_N, seed: int = BOOTSTRAP_SEED) -> dict:
    """System A's F1 minus system B's on the same pages (``counts_a[i]`` and ``counts_b[i]`` are the
    same page): ``n``, ``diff`` (A's aggregate F1 minus B's), ``sd`` of the difference over ``n_boot``
    resamples of the pages (the same pages for both), ``pm`` (``Z`` x ``sd``), ``lo`` / ``hi`` (its
    2.5 % and 97.5 % percentiles) and ``share_le0`` (the share of resamples where A is not better)."""
    if len(counts_a) != len(counts_b):
        raise ValueError(f"paired_bootstrap: {len(counts_a)} pages against {len(counts_b)}")
    pairs = sorted((tuple(map(float, a)), tuple(map(float, b))) for a, b in zip(counts_a, counts_b))
    counts_a, counts_b = [a for a, _ in pairs], [b for _, b in pairs]     # order-free, as in bootstrap
    n = len(counts_a)
    diff = aggregate(counts_a)["f1"] - aggregate(counts_b)["f1"] if n else float("nan")
    if not n:
        return {"n": 0, "diff": diff, "sd": diff, "pm": diff, "lo": diff, "hi": diff, "share_le0": diff}
    idx = _resamples(n, n_boot, seed)
    d = _f1(*_means(_columns(counts_a), idx)) - _f1(*_means(_columns(counts_b), idx))
    sd = float(np.std(d))
    return {"n": n, "diff": float(diff), "sd": sd, "pm": Z * sd, "lo": float(np.percentile(d, 2.5)),
            "hi": float(np.percentile(d, 97.5)), "share_le0": float(np.mean(d <= 0))}


def fmt(agg: dict) -> str:
    """``P4 / R4 / F1-4 ± pm`` of :func:`bootstrap` for a table cell."""
    return f"{agg['p']:.3f} | {agg['r']:.3f} | {agg['f1']:.3f} | ±{agg['pm']:.3f}"


HEAD = "P4 | R4 | F1-4 (of means) | F1-4 ± (1.96 bootstrap SD)"

def fmt_prf(agg: dict) -> str:
    """``P4 / R4 / F1-4`` of an :func:`aggregate` (or :func:`bootstrap`) for one table cell."""
    return " / ".join(f"{agg[m]:.3f}" for m in ("p", "r", "f1"))


def fmt_change(d: dict) -> str:
    """A :func:`paired_bootstrap`'s change, ``±`` and 95 % interval as three table cells."""
    return f"{d['diff']:+.4f} | ±{d['pm']:.4f} | [{d['lo']:+.4f}, {d['hi']:+.4f}]"    # the columns of :func:`fmt`


def print_table(systems: dict, title: str = "system (the outside metric)") -> dict:
    """Print one table row a system (``systems``: name -> its pages' ``(tp, fp, fn)``) with
    :func:`bootstrap`'s aggregate; return name -> that aggregate."""
    out = {name: bootstrap([tuple(c) for c in counts]) for name, counts in systems.items()}
    print(f"\n| {title} | {HEAD} |\n|---|---|---|---|---|")
    for name, agg in out.items():
        print(f"| {name} | {fmt(agg)} |")
    return out


def paired_line(this: dict, base: dict) -> str:
    """``this`` minus ``base`` (page id -> ``(tp, fp, fn)``) on their pages in common, in words."""
    ids = sorted(set(this) & set(base))
    if not ids:
        return "the outside metric: no page in common with counts (an earlier run before session 13a?)"
    d = paired_bootstrap([tuple(this[i]) for i in ids], [tuple(base[i]) for i in ids])
    return (f"the outside metric on {d['n']} pages in common: F1-4 change {d['diff']:+.4f} ±{d['pm']:.4f} "
            f"(1.96 paired bootstrap SD; 95 % interval [{d['lo']:+.4f}, {d['hi']:+.4f}])")


def paired_rows(rows: list[dict], base: list[dict], key: str) -> str:
    """:func:`paired_line` of two runs' rows (page ``id`` -> ``row[key]``, the page's ``(tp, fp, fn)``;
    a row without ``key``, from a run before session 13a, is left out)."""
    return paired_line({r["id"]: r[key] for r in rows if key in r}, {b["id"]: b[key] for b in base if key in b})


MODEL = "text, page model"     # bench_paste.MODEL_SYSTEM (not imported: this module stays light)


def _cells(rows: list[dict]) -> dict:
    """``(set, group or None) -> system -> rows`` sorted by page id (a set's rows, then each half's)."""
    out: dict = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        for cell in [(r["set"], None)] + ([(r["set"], r["group"])] if r.get("group") else []):
            out.setdefault(cell, {}).setdefault(r["system"], []).append(r)
    return dict(sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="the outside metric of a bench_paste.py --json file")
    ap.add_argument("rows", type=Path)
    args = ap.parse_args(argv)
    cells = _cells([r for r in json.loads(args.rows.read_text(encoding="utf-8")) if "tp4" in r])
    print("| set | system | pages | ours: mean page F1 | mean page F1-4 | " + HEAD + " |\n"
          "|---|---|---|---|---|---|---|---|---|")
    for (set_name, group), systems in cells.items():
        for system, rs in systems.items():
            counts = [(r["tp4"], r["fp4"], r["fn4"]) for r in rs]
            page_f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r in (page_pr(*c) for c in counts)]
            print(f"| {set_name}{f' ({group})' if group else ''} | {system} | {len(rs)} | "
                  f"{sum(r['f1'] for r in rs) / len(rs):.3f} | {sum(page_f1) / len(rs):.3f} | "
                  f"{fmt(bootstrap(counts))} |")
    print(f"\n| set | {MODEL} minus | pages | F1-4 change | ± (1.96 paired bootstrap SD) | 95 % interval |"
          "\n|---|---|---|---|---|---|")
    for (set_name, group), systems in cells.items():
        ids = [r["id"] for r in systems.get(MODEL, [])]
        for system, rs in systems.items():
            if system == MODEL or [r["id"] for r in rs] != ids:
                continue
            d = paired_bootstrap(*([(r["tp4"], r["fp4"], r["fn4"]) for r in x] for x in (systems[MODEL], rs)))
            print(f"| {set_name}{f' ({group})' if group else ''} | {system} | {d['n']} | {fmt_change(d)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
