"""Out-of-fold article-start scores for candidate H (issue 31, session 9e; reading/pagestart.py).

The start trees learn "this line is the page's first article line" (target: the first line whose
label is article; a page without one has no positive line) from the stage-2 rows and stage 2's
log-odds (``pagestart.start_rows``), with the same LightGBM settings as the page model's stages
(``train_paste.fit``: ``LGB_PARAMS``, ``ROUNDS``, seed 0, one thread). They are trained exactly as
the GRU is out of fold (``cv_pageseq.py``): in each of the four folds (page folds i -> i % 4, or
``--site-folds``) on the other folds' pages, whose inputs are their out-of-fold stage-1 log-odds
(the mean of the three seeds' cached raw scores) and their out-of-fold stage-2 log-odds (the
logit of ``--stage2``), then they score the fold's pages. The Readability pages (``eval``) are
scored by start trees trained on all 1,100 pages, with the full models' log-odds. Writes
``{"oof": {id: scores}, "eval": {id: scores}}`` for ``cv_pageseq.py --start``::

    python benchmarks/cv_pagestart.py --stage2 /tmp/ng31s8base/pG.pkl --site-folds /tmp/ng31s8base/sites.json \\
        --no-eval --out /tmp/ng31s9E/H-S-start.pkl

It also prints how often the anchor (the best-scoring line) is the page's first article line.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import cv_paste  # noqa: E402
import paste_render  # noqa: E402
from cv_pageseq import FOLDS, log, logit, stage1_raw  # noqa: E402

from newsgist.evaluation.train_pageseq import start_targets  # noqa: E402

SEED = 0


def rows_of(page, raw1, raw2):
    from newsgist.reading.pagemodel import stage2_features
    from newsgist.reading.pagestart import start_rows
    return start_rows(stage2_features(page.X, raw1), raw2)


def fit_scores(rows_train, targets, rows_score):
    """Start trees fit on ``rows_train`` / ``targets`` (lists, one a page); their raw scores on ``rows_score``."""
    import numpy as np
    from newsgist.evaluation.train_paste import fit, trees_of
    from newsgist.reading.pagemodel import tree_ensemble
    t = tree_ensemble(trees_of(fit(np.vstack(rows_train), np.concatenate(targets), SEED, 1)))
    return [t.predict(R) for R in rows_score]


def anchor_report(pages, scores) -> str:
    """How often the anchor is the first article line (exactly, within 2 lines), over pages with one."""
    from newsgist.reading.pagestart import anchor
    n = exact = near = 0
    for p in pages:
        first = start_targets([p.y])[0].argmax() if (p.y > 0.5).any() else None
        if first is None:
            continue
        a = anchor(scores[p.id])
        n += 1
        exact += a == first
        near += abs(a - first) <= 2
    return f"{n} pages with an article line: anchor = first article line {exact} ({exact / max(n, 1):.3f}), within 2 lines {near} ({near / max(n, 1):.3f})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stage2", type=Path, required=True, help="cv_paste.py --dump-probs file (stage 2, out of fold)")
    ap.add_argument("--site-folds", type=Path, metavar="SITES_JSON", help="folds grouped by site (as cv_pageseq.py)")
    ap.add_argument("--no-eval", action="store_true", help="skip the all-pages start trees (the eval part is empty)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if not paste_render.SETS["dragnet"].exists():
        print(f"skipped: {paste_render.SETS['dragnet']} not found")
        return 0
    sets = cv_paste.load_sets(comment=True)
    train, evals = list(sets["dragnet"]), list(sets["A"]) + list(sets["B"])
    p2 = pickle.loads(args.stage2.read_bytes())
    assert [p.id for p in train] == list(p2["oof"]), "stage-2 file's pages are not cv_paste's"
    tag = "-sitefolds" if args.site_folds else ""
    raw1_oof, raw1_eval = stage1_raw(cv_paste.WORK_COMMENT, len(train), len(evals), tag)
    R = [rows_of(p, r1, logit(p2["oof"][p.id])) for p, r1 in zip(train, raw1_oof)]
    T = start_targets([p.y for p in train])
    if args.site_folds:
        fmap = cv_paste.site_fold_map([p.id for p in train], json.loads(args.site_folds.read_text()), FOLDS)
        fold = [fmap[p.id] for p in train]
    else:
        fold = [i % FOLDS for i in range(len(train))]
    oof = {}
    for f in range(FOLDS):
        t0 = time.perf_counter()
        tr = [i for i in range(len(train)) if fold[i] != f]
        te = [i for i in range(len(train)) if fold[i] == f]
        for i, s in zip(te, fit_scores([R[i] for i in tr], [T[i] for i in tr], [R[i] for i in te])):
            oof[train[i].id] = s
        log(f"fold {f + 1}/{FOLDS}: {time.perf_counter() - t0:.0f} s")
    oof = {p.id: oof[p.id] for p in train}
    out = {"oof": oof, "eval": {}, "folds": "site" if args.site_folds else "page"}     # cv_pageseq checks it
    if not args.no_eval:
        Re = [rows_of(p, r1, logit(p2["eval"][p.id])) for p, r1 in zip(evals, raw1_eval)]
        out["eval"] = {p.id: s for p, s in zip(evals, fit_scores(R, T, Re))}
        log("all pages: done")
    args.out.write_bytes(pickle.dumps(out))
    print(f"wrote {args.out}; folds {'by site' if args.site_folds else 'page i -> i % 4'}")
    print(anchor_report(train, oof))
    return 0


if __name__ == "__main__":
    sys.exit(main())
