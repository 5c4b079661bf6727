"""Training side of the ranker's word-salience lexicon (issue 16; run time:
:mod:`newsgist.highlighting.lexicon`).

:func:`fill_lexicon_features` writes the lexicon columns of every training example's
feature matrix and returns the lexicons the model ships. An article's own columns come
from a lexicon counted *without* it and without its near-duplicates (articles sharing at
least ``NEIGHBOUR_JACCARD`` of their distinct stems: another report of the same story, whose
references name the same people and places). At run time an article's story is
(almost always) missing from the lexicon, so this is what the trees must learn to weigh.
Counted with them (out of fold, three boosters), CNN validation-1000 looked 0.1 R-1 better
(+3.63 vs +3.53 over LEAD-3: help from reports of the same story in other folds, which
new articles do not get) and sumllm-train-1000 0.3 worse (+2.68 vs +2.96; BENCHMARKS.md,
"Word salience").

The near-duplicate search compares every pair of training articles of a group (sparse
products in row blocks): quadratic in the number of training articles, at training time
only (2,000 articles: about a second).
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from newsgist.highlighting.lexicon import (LEXICON_FEATURE_NAMES, average_rate, lexicon_features, scores_from_counts,
                                           stem_score)

# Two training articles sharing this share (Jaccard) of their distinct content stems are
# treated as reports of one story. Set by reading pairs of validation-1000: at 0.15 and
# above they are mostly the same event (29 % of validation articles have one at 0.2,
# 13 % of the randomly drawn sumllm-train ones); below, mostly the same kind of story.
NEIGHBOUR_JACCARD = 0.15
_BLOCK = 512      # rows per sparse product in the neighbour search


def _stem_sets(examples):
    from newsgist.highlighting.ranker_features import sentence_stems
    stems, arts, refs = [], [], []
    for e in examples:
        st = sentence_stems(e.article.sentence_text(i) for i in range(len(e.article.sentences)))
        a = {w for s in st for w in s}
        stems.append(st)
        arts.append(a)
        refs.append(a & {w for s in sentence_stems(e.refs) for w in s})
    return stems, arts, refs


def _incidence(sets: list, vocab: dict, grow: bool):
    from scipy import sparse
    rows, cols = [], []
    for i, s in enumerate(sets):
        for w in s:
            k = vocab.setdefault(w, len(vocab)) if grow else vocab.get(w)
            if k is not None:
                rows.append(i)
                cols.append(k)
    return rows, cols, sparse


def neighbours(sets: list[set], threshold: float | None = None, others: list[set] | None = None) -> list[list[int]]:
    """For each set, the indices of the others with Jaccard similarity >= ``threshold``
    (NEIGHBOUR_JACCARD by default); with ``others``, the indices of those instead (issue 27:
    the extra lexicon articles near each training article)."""
    threshold = NEIGHBOUR_JACCARD if threshold is None else threshold
    within = others is None
    others = sets if within else others
    vocab: dict[str, int] = {}
    rows, cols, sparse = _incidence(others, vocab, True)
    n = len(sets)
    out: list[list[int]] = [[] for _ in range(n)]
    if not vocab:
        return out
    mt = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                           shape=(len(others), len(vocab))).T.tocsc()
    rows, cols, _ = _incidence(sets, vocab, False)
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
    sizes = np.array([len(s) for s in sets], dtype=np.float32)
    other_sizes = np.array([len(s) for s in others], dtype=np.float32)
    for lo in range(0, n, _BLOCK):
        inter = (m[lo:lo + _BLOCK] @ mt).tocoo()
        i, j, v = inter.row + lo, inter.col, inter.data
        union = sizes[i] + other_sizes[j] - v
        keep = (v >= threshold * np.maximum(union, 1.0)) & ((i != j) if within else True)
        for a, b in zip(i[keep], j[keep]):
            out[a].append(int(b))
    return [sorted(x) for x in out]


def fill_lexicon_features(examples, groups=None, train_mask=None, extra=None) -> dict:
    """Write the lexicon columns of each example's ``X`` in place (and the stem scores
    they came from to its ``lexicon``, for the set reranker); return ``{group: lexicon}``.

    ``groups``: one key per example (the dateline style when the model has trees per
    style; None: one lexicon for all). ``train_mask``: which examples the lexicons are
    counted from (all by default); the others are described by them as unseen articles.
    ``extra`` (issue 27): ``(styles, article stem sets, reference stem sets)`` of more
    articles (:func:`newsgist.evaluation.train_corpus.stem_sets`) counted into the lexicon
    of their style (of the one lexicon when ``groups`` is None); an example's near-duplicates
    among them are left out of its own columns as among the examples."""
    n = len(examples)
    groups = list(groups) if groups is not None else [None] * n
    mask = list(train_mask) if train_mask is not None else [True] * n
    stems, arts, refs = _stem_sets(examples)
    counts: dict = {}
    for i in range(n):
        if mask[i]:
            a, h = counts.setdefault(groups[i], (Counter(), Counter()))
            a.update(arts[i])
            h.update(refs[i])
    x_groups, x_arts, x_refs = extra if extra is not None else ([], [], [])
    one = all(g is None for g in groups)
    x_groups = [None if one else g for g in x_groups]
    for g, xa, xr in zip(x_groups, x_arts, x_refs):
        a, h = counts.setdefault(g, (Counter(), Counter()))
        a.update(xa)
        h.update(xr)
    p0 = {g: average_rate(a, h) for g, (a, h) in counts.items()}
    near = neighbours(arts)
    near_x = neighbours(arts, others=list(x_arts)) if x_arts else [[] for _ in range(n)]
    cols = slice(examples[0].X.shape[1] - len(LEXICON_FEATURE_NAMES), None) if n else None
    for i, e in enumerate(examples):
        g = groups[i]
        if g not in counts:
            e.X[:, cols] = 0.0
            e.lexicon = {}
            continue
        a, h = counts[g]
        # the article itself and its near-duplicates of the same group are left out
        out_a = [arts[j] for j in [i] + near[i] if mask[j] and groups[j] == g]
        out_h = [refs[j] for j in [i] + near[i] if mask[j] and groups[j] == g]
        out_a += [x_arts[j] for j in near_x[i] if x_groups[j] == g]
        out_h += [x_refs[j] for j in near_x[i] if x_groups[j] == g]
        scores = {}
        for w in arts[i]:
            aw = a.get(w, 0) - sum(1 for s in out_a if w in s)
            hw = h.get(w, 0) - sum(1 for s in out_h if w in s)
            scores[w] = stem_score(aw, hw, p0[g])
        e.X[:, cols] = lexicon_features(stems[i], scores)
        e.lexicon = scores
    return {g: scores_from_counts(a, h) for g, (a, h) in counts.items()}
