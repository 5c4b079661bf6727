"""Session 8e's candidates on pages the page model doubts, chosen nested (issue 31).

BENCHMARKS.md, "Issue 31, session 8e" registers both before any result: on a page whose best
line probability is below a level L, ``pagedecode.DOUBT_RULE`` "head" (U1) keeps only the page's
head (its likeliest title-shaped line and the byline / date lines beside it), "floor" (U2) drops
keep_mask's relative floor. This tool runs the shipped pipeline (``paste_failures.pipeline``, the
clean stage of ``newsgist text``, the shipped decode from ``--segment``) once a level of the
rule's grid on every page of the out-of-fold file, chooses L for each fold on the other three
folds' pages (the sum of pipeline page F1; ties: off, then the smaller L), applies it to the
fold's pages, and prints the nested result paired against the rule off. ``--out`` holds the
choices (``pages``: each page its fold's L or None; ``all``: the choice on every page, the
product constant), for ``paste_failures.py pipeline --doubt RULE,FILE``. No held-out page is read.

Usage (``B=/tmp/ng31s8base``)::

    python benchmarks/cv_doubt.py head $B/E-S/E-mean.pkl --segment $B/const.json --site-folds $B/sites.json \\
        --base $B/E-S-mean-d.json --out U1-S.json --pipeline-out U1-S-d.json
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

FOLDS = 4
GRID = {"head": (0.4, 0.5, 0.6, 0.7, 0.8), "floor": (0.6, 0.7, 0.8, 0.9, 1.01)}


def fold_map(ids: list, sites: Path | None) -> dict:
    """Site folds (``cv_paste.site_fold_map``) or page folds (page i -> i % 4, the file's order)."""
    import cv_paste
    if sites is not None:
        return cv_paste.site_fold_map(ids, json.loads(sites.read_text()), FOLDS)
    return {k: n % FOLDS for n, k in enumerate(ids)}


def choose(levels: dict, base: dict, pages) -> float | None:
    """The level whose summed page F1 over ``pages`` is the highest, None (off) when none beats
    the base (sums rounded to 1e-6); on a tie the smaller level."""
    best, best_sum = None, round(sum(base[k] for k in pages), 6)
    for lv in sorted(levels):
        s = round(sum(levels[lv][k] for k in pages), 6)
        if s > best_sum:
            best, best_sum = lv, s
    return best


def nested(levels: dict, base: dict, folds: dict) -> tuple[dict, dict, float | None]:
    """``(per-page level, per-fold level, all-pages level)``: each fold's level chosen on the
    other folds' pages."""
    ids = list(base)
    per_fold = {f: choose(levels, base, [k for k in ids if folds[k] != f]) for f in range(FOLDS)}
    return {k: per_fold[folds[k]] for k in ids}, per_fold, choose(levels, base, ids)


def main(argv=None) -> int:
    from paste_failures import paired, pipeline
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rule", choices=tuple(GRID))
    ap.add_argument("probs", type=Path, help="an out-of-fold probabilities file (E-S/E-mean.pkl)")
    ap.add_argument("--segment", type=Path, required=True, help="the shipped decode's per-page constants (const.json)")
    ap.add_argument("--site-folds", type=Path, metavar="SITES_JSON", help="site folds (default: page folds)")
    ap.add_argument("--base", type=Path, required=True, help="the rule-off per-page F1s (must be reproduced)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--pipeline-out", type=Path, help="the nested per-page F1s")
    args = ap.parse_args(argv)
    with args.probs.open("rb") as fh:
        probs = pickle.load(fh)
    consts = {k: tuple(v) for k, v in json.loads(args.segment.read_text()).items()}
    decode = ("segment", consts)
    base = json.loads(args.base.read_text())
    off = pipeline(probs, "dragnet", [], decode=decode)
    differ = sum(off[k] != base[k] for k in base)
    print(f"rule off: {sum(off.values()) / len(off):.4f}, {differ} pages differ from --base")
    if differ:
        raise SystemExit("the base is not reproduced")
    levels = {}
    for lv in GRID[args.rule]:
        levels[lv] = pipeline(probs, "dragnet", [], decode=decode, doubt=(args.rule, lv))
        print(f"{args.rule} L={lv}: {sum(levels[lv].values()) / len(base):.4f}  (all pages, not nested) "
              f"| paired {paired(base, levels[lv])}")
    pages, per_fold, everywhere = nested(levels, base, fold_map(list(probs["oof"]), args.site_folds))
    res = {k: base[k] if pages[k] is None else levels[pages[k]][k] for k in base}
    print(f"nested choices by fold: {per_fold}; all pages: {everywhere}")
    print(f"nested {args.rule}: {paired(base, res)}")
    if args.out:
        args.out.write_text(json.dumps({"rule": args.rule, "folds": per_fold, "all": everywhere,
                                        "pages": pages}) + "\n")
    if args.pipeline_out:
        args.pipeline_out.write_text(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
