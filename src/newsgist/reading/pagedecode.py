"""From the page model's line probabilities to the lines kept (issue 31, session 6).

:func:`newsgist.reading.pagemodel.page_furniture` gives each line of a pasted page the
probability that it is the article; this module decides which lines are kept. The shipped
decision is :func:`newsgist.reading.pagemodel.keep_mask` (one threshold for every page,
or a share of the page's best).
Two per-page decodings were built and judged by the ship rule registered in BENCHMARKS.md
("Issue 31, session 6"):

- :func:`expected_f1_mask`: the kept set that maximises the page's expected token F1
  (the metric is a mean over pages of page F1, which one global threshold does not target);
- :func:`segment_mask`: the article as one run of lines (the segment with the most
  probability above ``t``, token-weighted), lines inside it kept down to ``lo``, lines outside
  it only from ``hi``.

``DECODE`` names the one in use: the contiguous-body decoding (the expected-F1 decoding lost
out of fold: BENCHMARKS.md, "Issue 31, session 6"). Round 3's :func:`two_runs` (the article as
two runs around an inline block, ``SEGMENT_GAP_PENALTY``) and session 6d's :func:`viterbi_after`
(a keep / drop Viterbi pass after it, ``VITERBI_SWITCH``) are built and tested but off: both lost
out of fold; so are session 8e's rules for a page the model doubts (:func:`doubt_decode`,
``DOUBT_RULE``: its head only, or no relative floor). All are deterministic and linear in the lines (after one
sort for the expected-F1 decoding).
"""
from __future__ import annotations

import re

# The decoding in use: "threshold" (keep_mask alone, sessions 1-5), "expected-f1", "segment"
# or "expected-f1+segment". Session 6's registered rule (BENCHMARKS.md, "Issue 31, session 6"):
# "segment" (round 2's S2) ships, pipeline out of fold +0.0024 (SE 0.0010) on the 1,100 Dragnet
# training pages, Readability half B -0.0004; "expected-f1" failed (-0.0040, SE 0.0016).
DECODE = "segment"
# Contiguous-body decoding's constants (see segment_mask): the segment scores w * (p - T); lines
# inside it are kept from LO (0.5: no line the threshold drops is added), lines outside it only
# from HI. Chosen on the Dragnet training pages out of fold from t {0.3, 0.4, 0.5} x lo {0.1, ...,
# 0.5} x hi {0, 0.7, 0.8, 0.9, 0.95} on the line-level harness F1, on all four folds (three of the
# four nested choices were the same; BENCHMARKS.md). Round 3 (R1) added t 0.1-0.25 to the grid:
# every nested choice and the all-fold choice stayed as they were (t 0.3 is the grid's best, not
# its edge: t 0.25 +0.0035 and t 0.4 +0.0032 at the line level against t 0.3's +0.0042).
SEGMENT_T = 0.3
SEGMENT_LO = 0.5
SEGMENT_HI = 0.9
# A body segment of fewer tokens than this changes nothing: a title-and-caption page's one
# headline is not a body to cut the page around (session 5's "tiny gold" size, not tuned).
SEGMENT_MIN_TOKENS = 20
# Round 3's R2 (BENCHMARKS.md, "Issue 31, session 6", round 3): the article as up to two runs
# of lines, an inline block (related links, an ad) between them; a second run costs this much
# (score units: tokens x probability). None: one run (rounds 1-2's decoding), shipped: R2 failed
# the registered rule (pipeline out of fold -0.0005, SE 0.0003; the second run re-admits more
# furniture tokens than article tokens at every penalty of the grid).
SEGMENT_GAP_PENALTY = None
_TOKEN = re.compile(r"\w+")       # the body-token metric's tokens (bench_html.tokens)
# Session 6c's candidate (BENCHMARKS.md, "Issue 31, session 6c"): on a caption-sized page (the
# kept lines the model is sure of, probability >= SEGMENT_HI, hold fewer than
# CAPTION_POST_TOKENS tokens) the byline and time-stamp sure rules do not set aside a line the
# model keeps: a photo or video post's text is its title, its byline or date and a caption,
# and Dragnet's gold keeps that byline (83, 273, 60 of the tiny-gold pages). 20 is session 5's
# "tiny gold" size (paste_failures.TINY_GOLD), not tuned; SEGMENT_HI is reused, not tuned.
# Off: it missed its registered bar (pipeline out of fold +0.0005, SE 0.0004; all of it on
# ordinary low-confidence pages, the tiny-gold pages -0.0075; BENCHMARKS.md).
CAPTION_POST_KEEPS_BYLINE = False
CAPTION_POST_TOKENS = 20
# Session 6d's candidate (BENCHMARKS.md, "Issue 31, session 6d"): a two-state Viterbi pass after
# the contiguous-body decoding, line i's keep score (w_i + 1) * (p_i - min(VITERBI_T, 0.5 * best p)),
# VITERBI_SWITCH per change of label between neighbouring lines, lines the segment set aside
# forced to drop. None: off (the shipped decoding); with switch 0 and t 0.5 it is the shipped one.
# Off: it failed its registered rule (nested pipeline out of fold -0.0001, SE 0.0002; at the line
# level no (t, switch) of t {0.3, 0.4, 0.5} x switch {0, 1, 2, 5, 10, 20} gains more than +0.0001:
# the holes it fills hold more furniture tokens than article ones, the lines it isolates more article).
VITERBI_SWITCH = None
VITERBI_T = 0.5
# Session 8e's candidates (BENCHMARKS.md, "Issue 31, session 8e"): on a page the model doubts
# (its best line probability below DOUBT_LEVEL) keep_mask's relative floor keeps its likeliest
# lines whatever they are (a comment thread, a blog's tagline) and the contiguous-body decoding
# takes them for the body. DOUBT_RULE "head" (U1): such a page keeps only its head (page_head:
# the likeliest title-shaped line and the byline / date lines within HEAD_REACH lines of it);
# "floor" (U2): such a page drops the relative floor (p >= the model's threshold only), then the
# contiguous-body decoding, and keeps its head when nothing with a word is left. None: off.
# Off: both failed their registered rule on site folds (nested choice of the level, pipeline
# paired against the shipped decode): U1 -0.0001 (SE 0.0001; levels 0.4 / 0.5 change no page,
# the likeliest title-shaped line of a doubted page seldom has a byline or date beside it),
# U2 +0.0000 (off chosen on every fold: every level loses, -0.0020 to -0.0063; the floor's
# lines are the whole article on short posts, R917, R629, and dropping them leaves one headline).
# Read by the contiguous-body decode only (DECODE "segment"; the "threshold" decode ignores it).
DOUBT_RULE = None
DOUBT_LEVEL = 0.5
# A head's byline / date lines lie this many lines before or after its title (fixed, not tuned).
HEAD_REACH = 3
# A head of one line is not kept: one headline-shaped line alone is "no article text"
# (clean.PAGE_TITLE_ONLY_MIN_LINES, session 5's review), so it would only turn a page into nothing.
HEAD_MIN_LINES = 2
# A title-shaped line has this many words (clean.HEADLINE_MAX_WORDS the most; one word is a menu item).
HEAD_TITLE_WORDS = (2, 16)


def token_weights(text: str, lines):
    """Each line's number of tokens, as the body-token metric counts them."""
    import numpy as np
    return np.array([len(_TOKEN.findall(text[s:e])) for s, e, _ in lines], dtype=float)


def caption_sized(prob, weights, keep) -> bool:
    """Is the page's sure body (kept lines with probability >= SEGMENT_HI) under a caption's
    size (CAPTION_POST_TOKENS tokens)? One pass over the lines."""
    sure = sum(float(w) for p, w, k in zip(prob, weights, keep) if k and p >= SEGMENT_HI)
    return sure < CAPTION_POST_TOKENS


def doubted(prob) -> bool:
    """Does session 8e's rule (``DOUBT_RULE``) look at this page: its best line probability is
    below ``DOUBT_LEVEL``?"""
    return DOUBT_RULE is not None and len(prob) > 0 and float(max(prob)) < DOUBT_LEVEL


def page_head(prob, titles, stamps):
    """The page's head, sorted line indices, or None when it holds fewer than ``HEAD_MIN_LINES``:
    the ``titles`` line (title-shaped) with the highest probability (the earliest on a tie) and
    every ``stamps`` line (a byline or a bare date) within ``HEAD_REACH`` lines of it."""
    best = None
    for i, t in enumerate(titles):
        if t and (best is None or float(prob[i]) > float(prob[best])):
            best = i
    if best is None:
        return None
    lo, hi = max(0, best - HEAD_REACH), min(len(titles), best + HEAD_REACH + 1)
    head = [j for j in range(lo, hi) if j == best or stamps[j]]
    return head if len(head) >= HEAD_MIN_LINES else None


def doubt_decode(prob, weights, base, strict, shapes, how: str | None = None):
    """``(keep, head)`` of a page :func:`doubted` finds: ``DOUBT_RULE`` "head" keeps the page's
    head (:func:`page_head`; ``shapes()`` gives the lines' ``(titles, stamps)``), "floor" decodes
    from ``strict`` (keep_mask without its relative floor) and keeps the head only when that
    leaves no line with a token; without a head, :func:`decode` from ``base`` as on any page.
    ``head``: the head's lines kept (the byline and time-stamp rules leave them), else ()."""
    import numpy as np
    weights = np.asarray(weights, dtype=float)
    if DOUBT_RULE == "floor":
        keep = np.asarray(decode(prob, weights, strict, how), dtype=bool)
        if float(np.sum(weights[keep])) > 0:
            return keep, ()
    elif DOUBT_RULE != "head":
        raise ValueError(f"unknown doubt rule {DOUBT_RULE!r}")
    head = page_head(prob, *shapes())
    if head is None:
        return decode(prob, weights, base, how), ()
    keep = np.zeros(len(prob), dtype=bool)
    keep[head] = True
    return keep, frozenset(head)


def expected_f1_mask(prob, weights):
    """The lines whose keeping maximises the page's expected token F1, or None when no line
    has both probability and tokens.

    With line i's probability p_i and tokens w_i, keeping a set K gives (to first order)
    E[F1] = 2 Σ_K p_i w_i / (Σ_K w_i + Σ_all p_i w_i). Adding a line raises this ratio exactly
    when p_i exceeds half of it, so the best set is a prefix of the lines sorted by p: every
    prefix is scored with cumulative sums and the best kept (the shortest on a tie; equal
    probabilities in page order)."""
    import numpy as np
    prob = np.asarray(prob, dtype=float)
    weights = np.asarray(weights, dtype=float)
    n = len(prob)
    total = float(np.dot(prob, weights)) if n else 0.0
    if total <= 0.0:
        return None
    order = np.lexsort((np.arange(n), -prob))
    score = 2.0 * np.cumsum(prob[order] * weights[order]) / (np.cumsum(weights[order]) + total)
    k = int(np.argmax(score))        # the first maximum: the shortest prefix on a tie
    keep = np.zeros(n, dtype=bool)
    keep[order[:k + 1]] = True
    return keep


def body_segment(prob, weights, t: float) -> tuple[int, int] | None:
    """``(s, e)``, the run of lines ``s..e`` whose token-weighted ``p - t`` sums highest
    (Kadane's pass; the earliest maximum, a run restarted where its sum is not positive, so
    the shortest on a tie), or None when no line scores above ``t``."""
    best, span = 0.0, None
    cur, start = 0.0, 0
    for i in range(len(prob)):
        gain = float(weights[i]) * (float(prob[i]) - t)
        if cur <= 0.0:
            cur, start = gain, i
        else:
            cur += gain
        if cur > best:
            best, span = cur, (start, i)
    return span


def two_runs(prob, weights, t: float, penalty: float):
    """``((a1, b1), (a2, b2), score)``: the two runs of lines, with at least one line between
    them, whose token-weighted ``p - t`` sums highest less ``penalty``, or None for a page of
    fewer than three lines. One pass of a five-state DP (before / in run 1 / gap / in run 2 /
    after: "before" scores 0 and "after" adds nothing, so they need no column); on a tie a run
    starts as late and run 1 ends as early as it can (the shortest runs), and the earliest end
    of run 2 wins."""
    n = len(prob)
    if n < 3:
        return None
    neg = float("-inf")
    r1 = gap = r2 = neg
    r1_start, gap_from_r1, r2_start = [False] * n, [False] * n, [False] * n
    best, end = neg, -1
    for i in range(n):
        gain = float(weights[i]) * (float(prob[i]) - t)
        # run 2 starts after the gap (paying the penalty) or goes on; the gap opens after run 1
        # or goes on; run 1 starts (from "before", worth 0) or goes on: all from line i - 1's values
        r2_start[i] = gap - penalty >= r2
        n_r2 = (gap - penalty if r2_start[i] else r2) + gain
        gap_from_r1[i] = r1 > gap
        n_gap = r1 if gap_from_r1[i] else gap
        r1_start[i] = r1 <= 0.0
        r1 = (0.0 if r1_start[i] else r1) + gain
        gap, r2 = n_gap, n_r2
        if r2 > best:
            best, end = r2, i
    if end < 0:
        return None
    i = end
    while not r2_start[i]:
        i -= 1
    run2 = (i, end)
    i -= 1                                   # the gap's last line
    while not gap_from_r1[i]:
        i -= 1
    b1 = i - 1
    i = b1
    while not r1_start[i]:
        i -= 1
    return (i, b1), run2, best


def body_runs(prob, weights, t: float, penalty: float | None = None):
    """The article's run(s) of lines: :func:`body_segment`'s one run, or :func:`two_runs`'
    two when ``penalty`` is not None and their score less the penalty is strictly above the one
    run's; [] when no line scores above ``t``."""
    span = body_segment(prob, weights, t)
    if span is None:
        return []
    if penalty is not None:
        two = two_runs(prob, weights, t, penalty)
        one = sum(float(weights[i]) * (float(prob[i]) - t) for i in range(span[0], span[1] + 1))
        if two is not None and two[2] > one:
            return [two[0], two[1]]
    return [span]


def viterbi_mask(prob, weights, t: float, switch: float, allowed=None):
    """Two-state (keep / drop) labels maximising the sum over kept lines of
    ``(w_i + 1) * (p_i - tau)`` less ``switch`` per change of label between neighbours;
    ``tau = min(t, 0.5 * the page's best p)`` (``keep_mask``'s relative floor), a line not
    ``allowed`` is forced to drop. One forward pass and a backtrack; on a tie the line before is
    kept (so with ``switch`` 0 a line is kept exactly when ``p >= tau``, as ``keep_mask``)."""
    import numpy as np
    prob = np.asarray(prob, dtype=float)
    n = len(prob)
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    tau = min(t, 0.5 * float(prob.max()))
    neg = float("-inf")
    score = (np.asarray(weights, dtype=float) + 1.0) * (prob - tau)
    if allowed is not None:
        score = np.where(np.asarray(allowed, dtype=bool), score, neg)
    k_prev, d_prev = float(score[0]), 0.0        # best total ending in keep / drop at line i
    k_from_d = np.zeros(n, dtype=bool)          # keep at i came from drop at i - 1
    d_from_k = np.zeros(n, dtype=bool)
    for i in range(1, n):
        stay_k, sw_k = k_prev, d_prev - switch
        stay_d, sw_d = d_prev, k_prev - switch
        k_from_d[i] = sw_k > stay_k
        d_from_k[i] = sw_d >= stay_d
        k_prev = (sw_k if k_from_d[i] else stay_k) + float(score[i])
        d_prev = sw_d if d_from_k[i] else stay_d
    state = k_prev >= d_prev
    for i in range(n - 1, -1, -1):
        keep[i] = state
        state = (not k_from_d[i]) if state else bool(d_from_k[i])
    return keep


def segment_mask(prob, weights, base, t: float, lo: float, hi: float, min_tokens: float = 0.0,
                 penalty: float | None = None):
    """``base`` (the kept lines of another decoding) with the article taken as one run (two with
    a gap ``penalty``, :func:`body_runs`): lines inside the run(s) are also kept from ``lo``,
    lines outside only from ``hi``; unchanged when the run(s) hold fewer than ``min_tokens``
    tokens together."""
    import numpy as np
    keep = np.array(base, dtype=bool)
    runs = body_runs(prob, weights, t, penalty)
    if not runs or sum(float(np.sum(weights[a:b + 1])) for a, b in runs) < min_tokens:
        return keep
    inside = np.zeros(len(keep), dtype=bool)
    for a, b in runs:
        inside[a:b + 1] = True
    return (keep | (inside & (prob >= lo))) & (inside | (prob >= hi))


def viterbi_after(prob, weights, seg_keep, t: float | None = None, switch: float | None = None,
                  segment=None, min_tokens: float | None = None):
    """Session 6d's candidate: :func:`viterbi_mask` on a page where the contiguous-body
    decoding fired (its run holds at least ``min_tokens`` tokens; elsewhere ``seg_keep`` as it
    is), the lines it set aside (outside the run, p < hi) forced to drop. ``segment``: its
    ``(t, lo, hi)`` (the module's when None)."""
    import numpy as np
    t = VITERBI_T if t is None else t
    switch = (VITERBI_SWITCH or 0.0) if switch is None else switch
    st, _, hi = (SEGMENT_T, SEGMENT_LO, SEGMENT_HI) if segment is None else segment
    min_tokens = SEGMENT_MIN_TOKENS if min_tokens is None else min_tokens
    prob = np.asarray(prob, dtype=float)
    weights = np.asarray(weights, dtype=float)
    span = body_segment(prob, weights, st)
    if span is None or float(np.sum(weights[span[0]:span[1] + 1])) < min_tokens:
        return np.array(seg_keep, dtype=bool)
    allowed = prob >= hi
    allowed[span[0]:span[1] + 1] = True
    return viterbi_mask(prob, weights, t, switch, allowed)


def decode(prob, weights, base, how: str | None = None):
    """The kept lines of a page under the decoding ``how`` (``DECODE`` when None); ``base``:
    the shipped decision (``pagemodel.keep_mask``), also the fallback of a page with no
    probable tokens."""
    how = how or DECODE
    if how == "threshold":
        return base
    if how == "expected-f1":
        ef = expected_f1_mask(prob, weights)
        return base if ef is None else ef
    if how == "segment":
        keep = segment_mask(prob, weights, base, SEGMENT_T, SEGMENT_LO, SEGMENT_HI, SEGMENT_MIN_TOKENS,
                            SEGMENT_GAP_PENALTY)
        return keep if VITERBI_SWITCH is None else viterbi_after(prob, weights, keep)
    if how == "expected-f1+segment":
        ef = expected_f1_mask(prob, weights)
        return segment_mask(prob, weights, base if ef is None else ef, SEGMENT_T, SEGMENT_LO, SEGMENT_HI,
                            SEGMENT_MIN_TOKENS, SEGMENT_GAP_PENALTY)
    raise ValueError(f"unknown page decoding {how!r}")
