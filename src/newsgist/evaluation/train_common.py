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
