"""Does a line's vocabulary belong to the page's believed article? (issue 31, session 10, candidate C)

Stage 2 of the page model (:func:`newsgist.reading.pagemodel.stage2_features`) reads only the
first stage's log-odds of a line and of its neighbours. Article text that comes back after a
block of furniture inside the body (a live blog's entries, an inline "Read more" box, a
newsletter prompt) sits between lines the first stage scores low, and stage 2 follows its
neighbours. These columns look at the line's own words instead: how many of them the page's
believed article (every other line, weighted by its stage-1 probability) also uses, over the
whole page and above and below the line separately (continuation across a furniture block).
Related headlines and comments share topic words too; the trees decide how far to trust them.

Off by default: the shipped model does not read them (``benchmarks/cv_paste.py --lexical``
measures them). Linear in the page: one pass of counts, leave-one-out by subtraction; a line's
terms are capped at :data:`MAX_LINE_TERMS`. Deterministic.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from newsgist.text import STOPWORDS, stem

# The columns, in order (BENCHMARKS.md "Issue 31, session 10", registered before any result).
LEXICAL_NAMES = ("lex_share", "lex_cos", "lex_share_above", "lex_share_below", "lex_terms")
# A content term: a run of 3+ letters, lower-cased, not a stop word, light suffix stripping
# (newsgist.text.stem). Digits are left out: dates and counts repeat across furniture.
_TERM = re.compile(r"[^\W\d_]{3,}")
# A line's first MAX_LINE_TERMS content terms count (a 57 kB one-line page costs no more than a
# paragraph); set by hand: a long news paragraph has 40-80 content words.
MAX_LINE_TERMS = 200
# Support of a term by the believed article: its stage-1-probability-weighted count in the other
# lines, b, saturated as b / (b + SUPPORT_HALF): one confident other use gives a half.
SUPPORT_HALF = 1.0
# A line without any content term gets this in every share / cosine column (the trees split it off).
NO_TERMS = -1.0


def line_terms(text: str, memo: dict | None = None) -> list[str]:
    """The content terms of one line, at most :data:`MAX_LINE_TERMS` (``memo``: word -> term or
    "" for a stop word, shared by a page's lines: each distinct word is stemmed once)."""
    memo = {} if memo is None else memo
    out = []
    for m in _TERM.finditer(text):
        w = m.group(0)
        t = memo.get(w)
        if t is None:
            low = w.lower()
            t = memo[w] = "" if low in STOPWORDS else stem(low)
        if t:
            out.append(t)
            if len(out) >= MAX_LINE_TERMS:
                break
    return out


def _probabilities(raw1):
    """Stage-1 probabilities of log-odds ``raw1`` (clipped at +-30: no overflow)."""
    import numpy as np
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(raw1, dtype=np.float64), -30.0, 30.0)))


def lexical_columns(texts, raw1):
    """The :data:`LEXICAL_NAMES` columns (an ``(n, 5)`` array) of a page's lines ``texts`` given
    their stage-1 log-odds ``raw1`` (the line's weight is its stage-1 probability ``p``).

    - ``lex_share``: the share of the line's term occurrences supported by the other lines:
      mean over its occurrences of ``s(B_t - p_i c_it)``, ``B_t = sum_j p_j c_jt``, ``s(b) = b / (b + 1)``;
    - ``lex_cos``: cosine of the line's term counts with ``B - p_i c_i`` (the body vector without
      the line), both weighted by the page-local idf ``ln(1 + N / df_t)`` (N lines with a term);
    - ``lex_share_above`` / ``lex_share_below``: ``lex_share`` with the lines before / after it only;
    - ``lex_terms``: the line's number of content terms (capped)."""
    import numpy as np
    n = len(texts)
    out = np.full((n, len(LEXICAL_NAMES)), NO_TERMS)
    if n == 0:
        return out
    p = _probabilities(raw1)
    memo: dict[str, str] = {}
    seen: dict[str, dict[str, int]] = {}        # a repeated line (menus, share rows) is read once
    lines = [seen[t] if t in seen else seen.setdefault(t, Counter(line_terms(t, memo))) for t in texts]
    body: dict[str, float] = {}
    df: dict[str, int] = {}
    for w, c in zip(p.tolist(), lines):
        for t, k in c.items():
            body[t] = body.get(t, 0.0) + w * k
            df[t] = df.get(t, 0) + 1
    with_terms = sum(1 for c in lines if c)
    idf = {t: math.log(1.0 + with_terms / d) for t, d in df.items()}
    idf2 = {t: f * f for t, f in idf.items()}
    body_sq = sum((b * idf[t]) ** 2 for t, b in body.items())
    above: dict[str, float] = {}
    for i, (w, c) in enumerate(zip(p.tolist(), lines)):
        total = sum(c.values())
        out[i, 4] = float(total)
        if not total:
            continue
        share = share_up = share_down = 0.0
        dot = own_sq = cross = 0.0
        for t, k in c.items():
            rest = body[t] - w * k                  # the other lines' weighted count
            up = above.get(t, 0.0)
            down = rest - up
            if rest > 0.0:      # k s(b), s(b) = b / (b + SUPPORT_HALF), 0 for b <= 0 (subtraction can leave -1e-16)
                share += k * (rest / (rest + SUPPORT_HALF))
            if up > 0.0:
                share_up += k * (up / (up + SUPPORT_HALF))
            if down > 0.0:
                share_down += k * (down / (down + SUPPORT_HALF))
            f2 = idf2[t]
            dot += k * rest * f2
            own_sq += k * k * f2
            cross += k * body[t] * f2
        out[i, 0] = share / total
        out[i, 2] = share_up / total
        out[i, 3] = share_down / total
        rest_sq = max(body_sq - 2.0 * w * cross + w * w * own_sq, 0.0)
        out[i, 1] = dot / math.sqrt(own_sq * rest_sq) if rest_sq > 1e-12 and own_sq > 0 else 0.0
        for t, k in c.items():
            above[t] = above.get(t, 0.0) + w * k
    return out


# Candidate C2 (session 10f, registered before any result): the same support judged against the
# page's OWN believed article, so a short article's lines are not read as furniture for having
# little support in absolute terms (C lost the modern pages: 0.838 -> 0.707). Columns, in order:
LEXICAL_REL_NAMES = ("lexr_share", "lexr_cos", "lexr_share_above", "lexr_share_below", "lex_terms",
                     "lex_art_terms")
# The believed article: the lines with a term whose stage-1 probability is at least BELIEVED_P
# (the shipped stage-1 decision point, set by hand, not tuned).
BELIEVED_P = 0.5
# A support column's page reference: its stage-1-probability-weighted mean over the believed
# article's lines; a page with no believed line falls back to the same mean over every line with
# a term (weights: the stage-1 probabilities). The reference is floored at REL_FLOOR (a page
# whose article supports nothing: the ratio stays finite, at most 1 / REL_FLOOR = 20), set by hand.
REL_FLOOR = 0.05


def lexical_rel_columns(texts, raw1):
    """The :data:`LEXICAL_REL_NAMES` columns (an ``(n, 6)`` array): each of C's four support
    columns (``lex_share``, ``lex_cos``, ``lex_share_above``, ``lex_share_below``) divided by
    ``max(ref, REL_FLOOR)``, ``ref`` the column's stage-1-weighted mean over the believed article
    (lines with a term and ``p >= BELIEVED_P``; none: every line with a term); a line without a
    term keeps :data:`NO_TERMS`; ``lex_terms`` as C's; ``lex_art_terms``: ``ln(1 + T)``, ``T`` the
    believed article's number of content-term occurrences (0 when the page has no believed line),
    the same on every line of the page. Linear: C's columns plus one pass over the lines."""
    import numpy as np
    base = lexical_columns(texts, raw1)
    n = len(texts)
    out = np.full((n, len(LEXICAL_REL_NAMES)), NO_TERMS)
    if n == 0:
        return out
    p = _probabilities(raw1)
    terms = base[:, 4]
    has = terms > 0
    believed = has & (p >= BELIEVED_P)
    pool = believed if believed.any() else has
    w = p * pool
    for k in range(4):
        ref = float((w * base[:, k]).sum() / w.sum()) if pool.any() else 0.0
        out[has, k] = base[has, k] / max(ref, REL_FLOOR)
    out[:, 4] = terms
    out[:, 5] = math.log1p(float(terms[believed].sum()))
    return out


def reads_columns(stage2_names):
    """Which of these column sets a page-lines model whose stage 2 reads ``stage2_names`` (its
    file's ``stage2_features``) reads: ``True`` (C's :data:`LEXICAL_NAMES`), ``"rel"`` (C2's
    :data:`LEXICAL_REL_NAMES`) or ``False``. They come last, after the shipped stage-2 rows
    (``train_paste --lexical [rel]``)."""
    names = tuple(stage2_names)
    for cols, mode in ((LEXICAL_NAMES, True), (LEXICAL_REL_NAMES, "rel")):
        if len(names) > len(cols) and names[-len(cols):] == cols:
            return mode
    return False


def mode_of(option: str | None):
    """The ``lexical`` mode of a ``--lexical`` command-line value (None: off; "abs": C's; "rel": C2's)."""
    return {None: False, "abs": True, "rel": "rel"}[option]


def names_of(mode) -> tuple:
    """The column names a ``lexical`` mode adds (``False``: none, ``True``: C's, ``"rel"``: C2's)."""
    return LEXICAL_REL_NAMES if mode == "rel" else LEXICAL_NAMES if mode else ()


def columns_of(texts, raw1, mode):
    """The columns of a ``lexical`` mode (``True``: C's, ``"rel"``: C2's)."""
    return lexical_rel_columns(texts, raw1) if mode == "rel" else lexical_columns(texts, raw1)


def stage2_rows(rows2, texts, raw1, on):
    """Stage-2 rows ``rows2`` (:func:`newsgist.reading.pagemodel.stage2_features`), with these
    columns after them when ``on`` (a model trained with them: ``True`` C's, ``"rel"`` C2's);
    ``texts``: the lines' texts."""
    if not on:
        return rows2
    if texts is None or len(texts) != len(rows2):
        raise ValueError("a stage 2 with the lexical columns needs the lines' texts")
    import numpy as np
    return np.hstack([rows2, columns_of(texts, raw1, on)])
