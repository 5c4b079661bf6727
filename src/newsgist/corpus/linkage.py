"""Average link inside one chunk of articles (``newsgist cluster`` places articles a chunk at
a time, see :meth:`newsgist.corpus.index.StoryIndex.add_batch`).

An online rule that commits each article as it comes cannot undo an early wrong join: the
first report of a second event of the same kind (the same boxer, another opponent) joins the
first event's story and drags the rest after it. Inside a chunk of at most ``CHUNK`` articles
the decision is deferred: all pairs *of the chunk* are scored (the chunk is bounded, so the
work stays linear in the corpus) and merged bottom-up, best pair first, average link (a
group's similarity with another is the mean of its members' pair scores), until the best
remaining pair scores under the link threshold. Only then do the chunk's groups meet the
stories of earlier chunks (the index's join rule, one group at a time).

The pair score is the mix of the group cosines (words, names, numbers) that the index's
join rule uses, over the groups either article has; a pair whose dates lie more than the
date window apart scores 0 (dates bound who may join).
"""
from __future__ import annotations

from typing import Optional

import numpy as np
from scipy import sparse

from newsgist.corpus.features import BUCKETS, GROUPS


def _matrix(vecs: list[dict]) -> sparse.csr_matrix:
    """One group's unit vectors of the chunk as a sparse matrix (one row an article)."""
    indptr, cols, vals = [0], [], []
    for v in vecs:
        for k in sorted(v):
            cols.append(k)
            vals.append(v[k])
        indptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(vals, dtype=np.float64), np.asarray(cols, dtype=np.int64),
                              np.asarray(indptr, dtype=np.int64)), shape=(len(vecs), BUCKETS))


def pair_scores(vecs: list[dict], days: list[Optional[int]], weights: dict, date_window: int) -> np.ndarray:
    """The mixed pair score of every two articles of the chunk (n x n, diagonal 0)."""
    n = len(vecs)
    total = np.zeros((n, n))
    wsum = np.zeros((n, n))
    for g in GROUPS:
        w = weights.get(g) or 0.0
        if not w:
            continue
        m = _matrix([v[g] for v in vecs])
        total += w * (m @ m.T).toarray()
        has = np.asarray([bool(v[g]) for v in vecs])
        wsum += w * (has[:, None] | has[None, :])
    score = np.divide(total, wsum, out=np.zeros_like(total), where=wsum > 0)
    d = np.asarray([np.nan if x is None else float(x) for x in days])
    with np.errstate(invalid="ignore"):
        far = np.abs(d[:, None] - d[None, :]) > date_window   # NaN (undated) compares False
    score[far] = 0.0
    np.fill_diagonal(score, 0.0)
    return score


def average_link(score: np.ndarray, threshold: float) -> list[list[int]]:
    """Groups of the chunk (lists of positions, each ascending, ordered by their first
    position): average-link merges of the best pair while it scores at least ``threshold``.
    Ties go to the lowest positions, so the groups are a function of the scores alone."""
    n = score.shape[0]
    s = score.astype(np.float64, copy=True)
    np.fill_diagonal(s, -np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    for _ in range(n - 1):
        flat = int(np.argmax(s))
        i, j = divmod(flat, n)
        if s[i, j] < threshold:
            break   # average link never rises again: every later merge scores lower
        i, j = min(i, j), max(i, j)
        new = (sizes[i] * s[i] + sizes[j] * s[j]) / (sizes[i] + sizes[j])
        new[~alive] = -np.inf
        s[i, :] = new
        s[:, i] = new
        s[i, i] = -np.inf
        s[j, :] = -np.inf
        s[:, j] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        members[i].extend(members[j])
        members[j] = []
    return sorted((sorted(m) for m in members if m), key=lambda m: m[0])
