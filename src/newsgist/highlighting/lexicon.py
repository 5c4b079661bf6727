"""Word salience learned from training highlights: the ranker's lexicon features (issue 16).

Some words make highlights whatever the story: "killed", "arrested", "percent", a
"year-old"; others almost never do: "told", "added", "also", "statement". For every
content stem the training articles contain, the lexicon stores how much more (or less)
often than the average stem it appears in the references of the articles it appears in:

    score(w) = log( (h_w + ALPHA * p0) / (a_w + ALPHA) / p0 )

``a_w``: training articles whose text has the stem; ``h_w``: those whose references have
it too; ``p0 = sum(h) / sum(a)``, the rate of an average stem. ``ALPHA`` pseudo-articles
at the average rate shrink rare stems towards 0. A sentence is then described by the
mean, maximum, positive sum and minimum of its distinct stems' scores
(:data:`LEXICON_FEATURE_NAMES`, the last four columns of the ranker's features). A stem
seen in fewer than ``MIN_ARTICLES`` training articles scores 0 (and is not stored).

The model carries one lexicon per dateline style, as it carries trees (CNN editors' and
Daily Mail's LLM-written summaries favour different words). Training fills the columns
leave-one-out and without the article's near-duplicates (:mod:`newsgist.evaluation.
train_lexicon`), so the trees learn how far a lexicon built on *other* stories can be
trusted. Run time is a dictionary lookup per stem: linear in the text.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import numpy as np

LEXICON_FEATURE_NAMES = ("lex_mean", "lex_max", "lex_pos_sum", "lex_min")
# Pseudo-articles at the average rate added to every stem. Chosen out of fold on
# validation-1000 + sumllm-train-1000 (three boosters, sets; BENCHMARKS.md, "Word salience"):
# 3 cost sumllm 0.4; 10 and 30 were level within 0.1 on every number.
ALPHA = 10.0
# A stem needs this many training articles to score (and to be stored in the model):
# with ALPHA = 10 a stem in 1-2 articles scores within about 0.1 of 0 unless it made
# both references, and leaving them out halves the lexicon's size.
MIN_ARTICLES = 3
# Digits kept in the model file.
SCORE_DIGITS = 3


def stem_score(a_w: float, h_w: float, p0: float, alpha: float | None = None) -> float:
    """The salience of a stem in ``a_w`` training articles, ``h_w`` of them with it in the
    references (``alpha``: the pseudo-articles, ALPHA by default)."""
    if a_w < MIN_ARTICLES or p0 <= 0.0:
        return 0.0
    alpha = ALPHA if alpha is None else alpha
    return math.log((h_w + alpha * p0) / (a_w + alpha) / p0)


def average_rate(a: Counter, h: Counter) -> float:
    """``p0``: the share of (article, stem) pairs whose stem the references hold too."""
    total = sum(a.values())
    return sum(h.values()) / total if total else 0.0


def scores_from_counts(a: Counter, h: Counter) -> dict[str, float]:
    """Every stem's score from whole-corpus counts (the model's lexicon; stems in fewer
    than MIN_ARTICLES articles are left out, as they score 0)."""
    p0 = average_rate(a, h)
    return {w: round(stem_score(aw, h.get(w, 0), p0), SCORE_DIGITS) for w, aw in a.items() if aw >= MIN_ARTICLES}


def lexicon_features(stems: list[list[str]], scores: Mapping[str, float]) -> np.ndarray:
    """``(n_sentences, 4)``: mean, max, positive sum and min of each sentence's distinct
    stems' scores (0 for a sentence without content stems; unknown stems score 0)."""
    out = np.zeros((len(stems), len(LEXICON_FEATURE_NAMES)))
    for i, s in enumerate(stems):
        vals = [scores.get(w, 0.0) for w in set(s)]
        if vals:   # fsum: exact, so the same whatever order the set (string hashing) gives
            out[i] = (math.fsum(vals) / len(vals), max(vals), math.fsum([v for v in vals if v > 0]), min(vals))
    return out


def check_lexicon(data) -> dict[str, float]:
    """A lexicon read from a model file: a mapping of stems to finite numbers (ValueError otherwise).
    Checked a type at a time (issue 28: an entry-by-entry loop was ~30 ms of the model's load)."""
    if not isinstance(data, dict):
        raise ValueError("lexicon is not a mapping")
    # exact types: bool is an int subclass and is refused, as are None, strings, lists
    if not set(map(type, data)) <= {str} or not set(map(type, data.values())) <= {int, float}:
        raise ValueError("lexicon entries must map stems to finite numbers")
    out = dict(zip(data, map(float, data.values())))
    if not all(map(math.isfinite, out.values())):
        raise ValueError("lexicon entries must map stems to finite numbers")
    return out
