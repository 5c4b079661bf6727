"""The checker's summary model (issue 26): fit on FRANK validation over the line evidence.

``python -m newsgist.evaluation.train_check --summary-only`` refits only this model (and its
threshold) on the line trees already in the model file, so that retrained line trees get
their summary model by one command; the full training calls :func:`frank_summary_model` too.

The model is a logistic regression (:func:`newsgist.grounding.model.fit`) over the mean and
the minimum, over a summary's lines, of :data:`SUMMARY_LINE_FEATURES` (the line trees'
score as a logit among them), fit on all 671 pairs of ``faithfulness/frank-validation.jsonl``;
its threshold is the best balanced accuracy of its 5-fold article-CV scores.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from newsgist.api import split_summary
from newsgist.evaluation.check_rows import auc
from newsgist.evaluation.evaluate import read_jsonl
from newsgist.grounding import model as M
from newsgist.grounding.check import line_evidence, score_line, source_of

SEED = 0
FOLDS = 5
# Summary model: its inputs and penalty (the mean and minimum of each over the lines).
# Chosen by 5-fold article CV on frank-validation (mean of 5 fold shuffles, CNN/DM / XSum):
# score + window 0.787/0.676; + uni, cover 0.787/0.719; the previous six 0.786/0.726; these
# 0.783/0.734 (L2 100; L2 10: 0.782/0.735).
# Session 2 (context features, same CV, mean of 5 shuffles / leave one summariser out): these
# 0.778/0.740 (0.736/0.755); + num_cov_min, num_side_min 0.781/0.748 (0.741/0.762), shipped;
# + the names' side fit or replacement too: within 0.003 on CNN/DM, up to +0.008 on XSum.
# Session 5b (benchmarks/summary_candidates.py; BENCHMARKS.md, "Issue 26, session 5b"): 25
# candidates under a rule registered first, none shipped. New inputs with this fit: within
# noise (maxima over lines +0.003, novel share, line count, lines under the line threshold,
# pieces by kind, coreference / fragment checks, support spread, article length: <= +0.003);
# soft labels, synthetic summaries, line-level fits on FRANK, boosted trees, per-shape weights:
# level or worse. A fit on pairs of summaries of one article (by factuality) reads +0.021 in the
# pooled out-of-fold AUC, but only +0.004 within each fold (pooling mixes five fits' intercepts,
# which costs this fit, not a pairwise one); with a bigram language model's worst token, +0.0095
# within folds (round 2's bar: +0.010).
SUMMARY_LINE_FEATURES = ("score", "window", "window_order", "uni", "cover", "cover1", "quotes", "names",
                         "novel_idf_sum", "novel_idf_max", "idf_cover", "near_cover", "num_not_article",
                         "num_cov_min", "num_side_min")
SUMMARY_L2 = 100.0


def frank_rows(data: Path) -> list[dict]:
    return list(read_jsonl(data / "faithfulness/frank-validation.jsonl"))


def frank_features(rows: list[dict], checker, read_article) -> np.ndarray:
    """The summary inputs (:data:`newsgist.grounding.model.SUMMARY_INPUTS`) of each FRANK row,
    its lines read with ``checker``'s line trees, IDF table and lexicon."""
    feats, cache = [], {}
    for r in rows:
        src = cache.get(r["article"]) or source_of(read_article(r["article"]))
        cache[r["article"]] = src
        evs = [line_evidence(src, ln, idf=checker.line.idf, lex=checker.line.lex)
               for ln in split_summary(r["summary"])]
        X = [M.line_features(e) for e in evs]
        feats.append(M.summary_features(X, [score_line(e, checker) for e in evs]))
    return np.array(feats)


def article_folds(rows: list[dict], seed: int = SEED) -> np.ndarray:
    """FOLDS folds by article (a shuffle of the articles' first 200 characters by ``seed``)."""
    arts = sorted({r["article"][:200] for r in rows})
    random.Random(seed).shuffle(arts)
    fold = {a: i % FOLDS for i, a in enumerate(arts)}
    return np.array([fold[r["article"][:200]] for r in rows])


def fit_summary(F: np.ndarray, y: np.ndarray) -> M.Model:
    return M.fit(F, y, l2=SUMMARY_L2, features=M.summary_names(SUMMARY_LINE_FEATURES), inputs=M.SUMMARY_INPUTS)


def out_of_fold(F: np.ndarray, y: np.ndarray, folds: np.ndarray, fit=None) -> np.ndarray:
    """Each fold's scores from ``fit`` (default :func:`fit_summary`) on the other folds."""
    fit = fit or fit_summary
    oof = np.zeros(len(y))
    for f in sorted(set(folds.tolist())):
        oof[folds == f] = fit(F[folds != f], y[folds != f]).predict(F[folds == f])
    return oof


def balanced_threshold(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, balanced accuracy): the best balanced accuracy over the scores' values (0.001 grid)."""
    best_t, best_b = 0.5, 0.0
    for t in np.unique(np.round(scores, 3)):
        b = (((scores >= t) & (y == 1)).sum() / max((y == 1).sum(), 1) / 2
             + ((scores < t) & (y == 0)).sum() / max((y == 0).sum(), 1) / 2)
        if b > best_b:
            best_t, best_b = float(t), float(b)
    return best_t, best_b


def frank_summary_model(checker, data: Path, read_article) -> M.Model:
    """The summary model fit on all of frank-validation, its threshold out of fold."""
    rows = frank_rows(data)
    F = frank_features(rows, checker, read_article)
    y = np.array([1.0 if r["consistent"] else 0.0 for r in rows])
    oof = out_of_fold(F, y, article_folds(rows))
    best_t, best_b = balanced_threshold(oof, y)
    m = fit_summary(F, y)
    m.threshold = round(best_t, 3)
    m.notes = "fit on all of frank-validation (mean and minimum over lines); threshold out of fold"
    ds = np.array([r["dataset"] for r in rows])
    print(f"FRANK summary model, 5-fold article CV AUC: CNN/DM {auc(oof[ds == 'cnndm'], y[ds == 'cnndm']):.3f}, "
          f"XSum {auc(oof[ds == 'xsum'], y[ds == 'xsum']):.3f}; threshold {best_t:.3f} "
          f"(balanced accuracy {best_b:.3f})", flush=True)
    return m


def refit_summary(path: Path, data: Path, read_article) -> int:
    """Only the summary model again, on the line trees already in ``path`` (the file the full
    training writes): what a retrain of the line trees needs after a merge."""
    checker = M.Checker.from_dict(json.loads(path.read_text(encoding="utf-8")))
    checker.summary = frank_summary_model(checker, data, read_article)
    path.write_text(json.dumps(checker.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    M._LOADED = None
    print(f"wrote {path}")
    return 0
