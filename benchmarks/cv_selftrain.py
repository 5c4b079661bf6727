"""Session 10b's candidate P: per-page self-training before the decode (issue 31).

``pageself.adjust`` fits, on each page, a small logistic regression on the page's own sure lines
and moves its lines in doubt toward it (BENCHMARKS.md, "Issue 31, session 10b", registers the
grid, the choice and the ship rule before any site-fold result). This tool runs the shipped
pipeline (``paste_failures.pipeline``: ``newsgist text``'s clean stage on the given out-of-fold
probabilities, the shipped decode from ``--segment``) with the hook on, exactly as the product
would run it inside ``pagemodel.page_furniture``:

- ``grid``: every setting of ``GRID`` on the given file (PAGE folds only: the tuning), each paired
  against ``--base``, and the choice (the highest mean page F1; ties: the smaller ALPHA, then the
  grid's order);
- ``apply``: one setting (``--setting HI,LO,ALPHA,L2,SUBSET,APPLY``; default the module's
  constants) on the given file and set, the per-page F1s to ``--out``, paired against ``--base``,
  and with ``--sites`` the per-site view (sites whose mean page F1 gains / loses by > 0.005).

The self-training reads only the page's own probabilities and feature rows: out-of-fold
probabilities stay out of fold. Usage (``B=/tmp/ng31s8base``)::

    python benchmarks/cv_selftrain.py grid $B/E-P/E-mean.pkl --segment $B/const.json --base $B/E-P-mean-d.json
    python benchmarks/cv_selftrain.py apply $B/E-S/E-mean.pkl --segment $B/const.json \\
        --base $B/E-S-mean-d.json --sites $B/sites.json --out P-S-d.json
"""
from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# The registered page-fold grid (24 settings): (HI, LO) x ALPHA x L2 x feature subset, lines in doubt.
GRID = [(hi, lo, a, l2, sub, "doubt") for (hi, lo), a, l2, sub in itertools.product(
    ((0.9, 0.1), (0.8, 0.2)), (0.3, 0.6, 1.0), (1.0, 10.0), ("small", "wide"))]
# Added after the 24's page-fold numbers (their best lay on the grid's edge: the smallest ALPHA, the
# largest L2), still before any site-fold result: 6 more, 30 in all (BENCHMARKS.md, session 10b).
GRID += [(hi, lo, a, l2, "small", "doubt") for (hi, lo), (a, l2) in itertools.product(
    ((0.9, 0.1), (0.8, 0.2)), ((0.15, 10.0), (0.15, 100.0), (0.3, 100.0)))]


def run(probs: dict, which: str, consts, setting) -> dict:
    """Per-page pipeline F1 with the hook on at ``setting`` (None: off)."""
    from paste_failures import pipeline
    from newsgist.reading import pageself
    saved = (pageself.SELF_TRAIN, pageself.SELF_HI, pageself.SELF_LO, pageself.SELF_ALPHA, pageself.SELF_L2,
             pageself.SELF_FEATURES, pageself.SELF_APPLY)
    try:
        if setting is not None:
            hi, lo, a, l2, sub, how = setting
            (pageself.SELF_TRAIN, pageself.SELF_HI, pageself.SELF_LO, pageself.SELF_ALPHA, pageself.SELF_L2,
             pageself.SELF_FEATURES, pageself.SELF_APPLY) = (True, hi, lo, a, l2, pageself.SELF_SUBSETS[sub], how)
        return pipeline(probs, which, [], decode=("segment", consts))
    finally:
        (pageself.SELF_TRAIN, pageself.SELF_HI, pageself.SELF_LO, pageself.SELF_ALPHA, pageself.SELF_L2,
         pageself.SELF_FEATURES, pageself.SELF_APPLY) = saved


def choose(results: dict) -> tuple:
    """The setting with the highest summed page F1 (rounded to 1e-6); ties: smaller ALPHA, then order."""
    return max(results, key=lambda s: (round(sum(results[s].values()), 6), -s[2], -GRID.index(s)))


def per_site(base: dict, res: dict, sites: dict) -> str:
    by = defaultdict(list)
    for k in base:
        by[sites.get(k, k)].append(res[k] - base[k])
    means = [sum(v) / len(v) for v in by.values()]
    return (f"{len(by)} sites: gain > 0.005 on {sum(m > 0.005 for m in means)}, lose > 0.005 on "
            f"{sum(m < -0.005 for m in means)}, within 0.005 on {sum(abs(m) <= 0.005 for m in means)}")


def main(argv=None) -> int:
    from paste_failures import paired
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("grid", "apply"))
    ap.add_argument("probs", type=Path)
    ap.add_argument("--segment", type=Path, required=True, help="the shipped decode's per-page constants (const.json)")
    ap.add_argument("--base", type=Path, required=True, help="the hook-off per-page F1s (must be reproduced)")
    ap.add_argument("--set", default="dragnet", choices=("dragnet", "A", "B"))
    ap.add_argument("--setting", help="apply: HI,LO,ALPHA,L2,SUBSET,APPLY (default: pageself's constants)")
    ap.add_argument("--sites", type=Path, help="apply: page -> site (sites.json) for the per-site view")
    ap.add_argument("--out", type=Path, help="apply: per-page F1s; grid: every setting's per-page F1s")
    ap.add_argument("--only-new", type=int, default=0, help="grid: run only the last N settings of GRID")
    args = ap.parse_args(argv)
    from newsgist.reading import pagedecode, pageself
    pagedecode.SEGMENT_MIN_TOKENS = 20
    with args.probs.open("rb") as fh:
        probs = pickle.load(fh)
    consts = {k: tuple(v) for k, v in json.loads(args.segment.read_text()).items()}
    consts = consts if args.set == "dragnet" else consts["all"]
    base = json.loads(args.base.read_text())
    if args.what == "grid":
        off = run(probs, args.set, consts, None)
        differ = sum(off[k] != base[k] for k in base)
        print(f"hook off: {sum(off.values()) / len(off):.4f}, {differ} pages differ from --base", flush=True)
        if differ:
            raise SystemExit("the base is not reproduced")
        results = {}
        for s in GRID[len(GRID) - args.only_new:] if args.only_new else GRID:
            results[s] = run(probs, args.set, consts, s)
            print(f"{s}: {paired(base, results[s])}", flush=True)
        best = choose(results)
        print(f"chosen: {best}")
        if args.out:
            args.out.write_text(json.dumps({"chosen": list(best), "grid": {",".join(map(str, s)): r
                                                                           for s, r in results.items()}}) + "\n")
        return 0
    if args.setting:
        hi, lo, a, l2, sub, how = args.setting.split(",")
        setting = (float(hi), float(lo), float(a), float(l2), sub, how)
    else:
        sub = next(n for n, c in pageself.SELF_SUBSETS.items() if c == pageself.SELF_FEATURES)
        setting = (pageself.SELF_HI, pageself.SELF_LO, pageself.SELF_ALPHA, pageself.SELF_L2, sub, pageself.SELF_APPLY)
    res = run(probs, args.set, consts, setting)
    print(f"P {setting}, {args.set}: {len(res)} pages, mean F1 {sum(res.values()) / max(len(res), 1):.4f}")
    print(f"paired against --base: {paired(base, res)}")
    if args.sites:
        print(per_site(base, res, json.loads(args.sites.read_text())))
    if args.out:
        args.out.write_text(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
