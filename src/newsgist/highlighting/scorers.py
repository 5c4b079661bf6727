"""Sentence scorers, registered by name in one table (like sumy's method table).

A scorer takes an :class:`~newsgist.article.Article` with sentences and returns one
float per sentence (higher = more highlight-worthy). Selection is separate
(:mod:`newsgist.highlighting.select`). The table is :data:`newsgist.registry.SCORERS`,
read by the library, the CLI (``--method``) and the service; the learned ranker
registers itself from :mod:`newsgist.highlighting.ranker`, and
:mod:`newsgist.highlighting.methods` says which one "default" means.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from newsgist.registry import SCORERS
from newsgist.text import content_terms, words

# --- weights of the "position" scorer -------------------------------------------------
@dataclass(frozen=True)
class PositionParams:
    """Weights of the "position" scorer. Defaults were chosen by grid search on
    validation-1000 (``python benchmarks/tune_position.py``) and are reported on
    test-public-500 in BENCHMARKS.md."""
    decay: float = 1.2          # position prior: 1 / (1 + index) ** decay
    w_centrality: float = 1.0   # cosine with the article's term centroid
    w_first: float = 0.0        # cosine with the first body sentence (the lede)
    min_words: int = 8          # sentences shorter than this are penalised (fragments, captions)
    max_words: int = 30         # ... and longer than this (long highlights cost ROUGE precision)
    w_length: float = 0.02      # penalty per word outside [min_words, max_words]
    w_quote: float = 0.15       # penalty for a sentence that opens with a quotation mark
    w_question: float = 0.2     # penalty for questions (rarely highlights)


POSITION = PositionParams()
# TextRank: damping and iterations of the power method (the usual 0.85; 30 steps converge).
TEXTRANK_DAMPING = 0.85
TEXTRANK_ITERATIONS = 30
# TextRank compares every pair of sentences (quadratic): only the first this many
# sentences are ranked, the rest score 0 (and the cap goes to meta.limits_hit). CNN/DM
# articles have at most ~120 sentences; 300 keeps the pairwise graph under ~1 s.
TEXTRANK_MAX_SENTENCES = 300


def _vectors(texts: list[str]) -> list[Counter]:
    return [Counter(content_terms(t)) for t in texts]


def _cosine(a: Counter, b: Counter, norm_b: float | None = None) -> float:
    """Cosine of two bags of words; ``norm_b``: ``b``'s norm when the caller knows it (the
    centroid's, computed once: again for every sentence it was quadratic, issue 17)."""
    if not a or not b:
        return 0.0
    if norm_b is not None:  # a is a sentence, b the centroid holding all its words: len(a) <= len(b)
        get = b.get         # (lists, not generators: the same sums, issue 27)
        dot = sum([v * get(k, 0) for k, v in a.items()])
        return dot / (math.sqrt(sum([v * v for v in a.values()])) * norm_b)
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


@SCORERS.register("lead", "the first sentences of the cleaned body (LEAD-3 after cleaning)")
def score_lead(article) -> list[float]:
    n = len(article.sentences)
    return [float(n - i) for i in range(n)]


@SCORERS.register("position", "position prior + centrality + similarity to the lede, length and quote penalties")
def score_position(article, p: PositionParams = POSITION) -> list[float]:
    texts = [article.sentence_text(i) for i in range(len(article.sentences))]
    if not texts:
        return []
    return position_scores(texts, _vectors(texts), [len(words(t)) for t in texts], p)


def position_scores(texts: list[str], vecs: list[Counter], lengths: list[int], p: PositionParams = POSITION):
    """:func:`score_position` from the sentences' content-stem bags (``Counter(content_terms(t))``)
    and word counts, for a caller that has them already (the ranker's features, issue 27)."""
    centroid = Counter()
    for v in vecs:
        centroid.update(v.keys())  # document frequency within the article (keys: counted in C, issue 27b)
    first = vecs[0]
    centroid_norm = math.sqrt(sum(v * v for v in centroid.values()))
    scores = []
    for i, (t, v) in enumerate(zip(texts, vecs)):
        n = lengths[i]
        s = 1.0 / (1 + i) ** p.decay
        s += p.w_centrality * _cosine(v, centroid, centroid_norm)
        if p.w_first:   # 0 for the ranker's feature: adding 0.0 changes nothing, so it is not computed
            s += p.w_first * (_cosine(v, first) if i else 1.0)
        if n < p.min_words:
            s -= p.w_length * (p.min_words - n)
        elif n > p.max_words:
            s -= p.w_length * (n - p.max_words)
        if t[:1] in "\"“‘'":
            s -= p.w_quote
        if t.rstrip("\"”’' ").endswith("?"):
            s -= p.w_question
        scores.append(s)
    return scores


@SCORERS.register("textrank", "TextRank: PageRank over sentence similarity (content only, no position)")
def score_textrank(article) -> list[float]:
    total = len(article.sentences)
    n = min(total, TEXTRANK_MAX_SENTENCES)
    if n == 0:
        return []
    if total > n and hasattr(article, "limit_hit"):
        article.limit_hit("score", "TEXTRANK_MAX_SENTENCES",
                          f"textrank ranked the first {n:,} of {total:,} sentences; the rest score 0")
    texts = [article.sentence_text(i) for i in range(n)]
    vecs = _vectors(texts)
    sim = [[_cosine(vecs[i], vecs[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) or 1.0 for row in sim]
    rank = [1.0 / n] * n
    for _ in range(TEXTRANK_ITERATIONS):
        rank = [(1 - TEXTRANK_DAMPING) / n + TEXTRANK_DAMPING * sum(rank[j] * sim[j][i] / out[j] for j in range(n))
                for i in range(n)]
    return rank + [0.0] * (total - n)

