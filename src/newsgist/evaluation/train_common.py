"""What the two trainers share (:mod:`newsgist.evaluation.train_ranker` for the sentence
trees, :mod:`newsgist.evaluation.train_rerank` for the set reranker): the ROUGE-1 + 2 of
a selection as the trainer counts it, the fold of an example and the LightGBM import."""
from __future__ import annotations

from collections import Counter

from newsgist.errors import NewsgistError

# LightGBM settings both trainers use (each adds its objective, leaves and leaf size):
# rate 0.05 with row and feature bagging, chosen with the sentence trees on CNN
# validation-1000 (train_ranker) and kept for the set reranker; deterministic for a fixed seed.
LGB_COMMON = {
    "learning_rate": 0.05,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "deterministic": True,
    "force_col_wise": True,
}

# Each stage's trees are the mean of this many boosters that differ only in their bagging
# seed (seed, seed + 1, ...). Chosen out of fold on validation-1000 + sumllm-train-1000
# (BENCHMARKS.md "Bagging seeds averaged"; over LEAD-3 of the chosen sets): one
# booster +3.27 / +2.02 (val), +2.37 / +1.89 (sumllm); three +3.51 / +2.12 and +2.29 / +1.94;
# five first-stage boosters no better (+3.58 / +2.10, +2.11 / +1.73). Single boosters moved
# val by ±0.17 R-1 between seeds. Training takes this many times as long; run time walks
# this many times the trees (about +2 ms an article).
ENSEMBLE_SEEDS = 3


def seeds_of(seed: int, ensemble: int) -> list[int]:
    """The bagging seeds of an ensemble of ``ensemble`` boosters starting at ``seed``."""
    if ensemble < 1:
        raise ValueError("ensemble must be at least 1")
    return [seed + k for k in range(ensemble)]


def _ngrams(tokens, n):
    return Counter(zip(*(tokens[i:] for i in range(n))))


def _f1(pred: Counter, ref: Counter) -> float:
    overlap = sum((pred & ref).values())
    return 2.0 * overlap / (sum(pred.values()) + sum(ref.values())) if overlap else 0.0


def selection_rouge(ex, chosen) -> float:
    """ROUGE-1 F1 + ROUGE-2 F1 (x100) of the chosen sentences of a prepared example, exactly
    as rouge_score counts them for one-highlight-a-line summaries (n-grams run across lines)."""
    toks = [t for i in sorted(chosen) for t in ex.tokens[i]]
    return 100.0 * (_f1(_ngrams(toks, 1), ex.ref1) + _f1(_ngrams(toks, 2), ex.ref2))


def fold_of(i: int, folds: int) -> int:
    """The cross-validation fold of example ``i`` (index mod k)."""
    return i % folds


def _lgb():
    try:
        import lightgbm
    except ImportError:
        raise NewsgistError("training needs LightGBM: pip install lightgbm==4.7.0") from None
    return lightgbm
