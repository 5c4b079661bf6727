"""Which lines of a pasted web page are the article (issue 31).

A page copied from a browser carries its furniture: menus, share and follow lines,
related headlines, bylines, image credits, newsletter and cookie prompts, comments,
footers. :func:`page_furniture` decides line by line with two small tree stages
(``models/page-lines.json``, trained by ``python benchmarks/train_paste.py`` on
Dragnet pages rendered by Chromium): the first reads each line's features
(:mod:`newsgist.reading.pagelines`), the second adds the first stage's log-odds of
the lines around it (each stage the mean of three boosters, bagging seeds 0-2); a small
bidirectional GRU over the page's lines (:mod:`newsgist.reading.pageseq`,
``models/page-seq.json``) then reads both stages' log-odds in page order, and its probability
is averaged with stage 2's (issue 31, session 7c). It runs
only on text that looks like a pasted page
(:func:`looks_like_page`): an article's own text — one line, or a few paragraphs —
is never given to it. Each furniture line gets a reason from its words and place
(:func:`reason_of`).
"""
from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path

from newsgist.reading import pagedecode, pagelexical, pageprose, pageroute, pageseq
from newsgist.reading.pagereasons import word_reason  # noqa: F401 - clean.py reads it here

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "page-lines.json"
# A text is a pasted page when it has at least PAGE_MIN_LINES non-blank lines and either
# PAGE_MIN_SHORT_LINES of them or PAGE_MIN_SHORT_SHARE of them are short lines without
# a final stop (menu items, buttons, headlines). Set on the data: all the Dragnet pages
# rendered by Chromium pass (blogs whose long comment threads dilute the share pass by the
# count); CNN/DM articles (one line each), the seed page (39 lines, 7 short) and an
# article's own paragraphs with a few subheads do not.
PAGE_MIN_LINES = 12
PAGE_MIN_SHORT_LINES = 14
PAGE_MIN_SHORT_SHARE = 0.35
SHORT_LINE_WORDS = 6
# Stage-2 context: the first stage's log-odds of the lines this far around.
STAGE2_OFFSETS = (-3, -2, -1, 1, 2, 3)
STAGE2_WINDOWS = (2, 5, 12)
STAGE2_NAMES = (["raw"] + [f"raw@{o:+d}" for o in STAGE2_OFFSETS] + [f"raw_mean±{w}" for w in STAGE2_WINDOWS]
                + ["raw_max_before", "raw_max_after", "raw_rank", "raw_below_max", "raw_above_mean"])
_TERMINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_WORD = re.compile(r"[^\W_]+")


def tree_ensemble(d: dict):
    """The trees of one stage (:class:`newsgist.trees.TreeEnsemble`'s ``to_dict`` arrays), in numpy."""
    from newsgist.trees import TreeEnsemble
    return TreeEnsemble.from_dict(d)


class PageModel:
    def __init__(self, d: dict):
        from newsgist.reading.pagelines import FEATURE_NAMES
        if d.get("kind") != "newsgist-page-lines" or list(d.get("features", [])) != list(FEATURE_NAMES):
            raise ValueError("page-lines model does not match this version's features")
        self.stage1 = tree_ensemble(d["stage1"])
        self.stage2 = tree_ensemble(d["stage2"])
        self.threshold, self.relative = float(d["threshold"]), float(d.get("relative", 0.0))
        self.lexical = pagelexical.reads_columns(d.get("stage2_features", ()))   # session 10's C (off: not shipped)
        self.info = dict(d.get("info", {}))
        self.fingerprint = pageseq.trees_fingerprint(d)    # the GRU file must record it (session 7e)
        self.shipped = False                                # set by load_model for models/page-lines.json

    def probabilities(self, X, texts=None):
        """Line probabilities of rows ``X``; ``texts`` (lines' texts) for a word-reading GRU or lexical stage 2."""
        import numpy as np
        raw1 = self.stage1.predict(X)
        raw2 = self.stage2.predict(pagelexical.stage2_rows(rows2 := stage2_features(X, raw1), texts, raw1, self.lexical))
        seq = getattr(self, "own_seq", None) or pageseq.load_seq_for(self.fingerprint, self.shipped)  # 7c, 7e
        return seq.probabilities(X, raw1, raw2, texts, rows2) if seq is not None else 1.0 / (1.0 + np.exp(-raw2))


@lru_cache(maxsize=4)
def _load(path: str) -> PageModel | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return PageModel(json.load(fh))
    except (OSError, ValueError, KeyError):
        return None


def keep_mask(prob, threshold: float, relative: float):
    """Lines kept: probability at least ``threshold``, or at least ``relative`` times the
    page's best (a page whose article the model doubts still gives its likeliest lines)."""
    import numpy as np
    if len(prob) == 0:
        return np.zeros(0, dtype=bool)
    return prob >= (min(threshold, relative * float(prob.max())) if relative > 0 else threshold)


def load_model() -> PageModel | None:
    """The shipped model (or ``NEWSGIST_PAGE_MODEL``'s); None when it is missing or unreadable."""
    named = os.environ.get("NEWSGIST_PAGE_MODEL")
    m = _load(named or str(MODEL_PATH))
    if m is not None:
        m.shipped = not named or Path(named).resolve() == MODEL_PATH
    return m


def stage2_features(X, raw1):
    """Stage-2 rows: the line's features, its own stage-1 log-odds and its neighbours'."""
    import numpy as np
    n = len(raw1)
    cols = [raw1]
    for o in STAGE2_OFFSETS:
        c = np.full(n, -10.0)
        if o < 0 and n + o > 0:
            c[-o:] = raw1[:n + o]
        elif o > 0 and n - o > 0:
            c[:n - o] = raw1[o:]
        cols.append(c)
    csum = np.concatenate([[0.0], np.cumsum(raw1)])
    idx = np.arange(n)
    for w in STAGE2_WINDOWS:
        lo, hi = np.clip(idx - w, 0, n), np.clip(idx + w + 1, 0, n)
        cols.append((csum[hi] - csum[lo]) / np.maximum(hi - lo, 1))
    cols.append(np.maximum.accumulate(raw1) if n else raw1)
    cols.append(np.maximum.accumulate(raw1[::-1])[::-1] if n else raw1)
    cols.append(np.argsort(np.argsort(-raw1, kind="stable"), kind="stable") / max(n - 1, 1) if n else raw1)
    cols.append(raw1.max() - raw1 if n else raw1)     # a page whose article the first stage doubts:
    cols.append(raw1 - raw1.mean() if n else raw1)    # its best lines are still its best
    return np.hstack([X, np.column_stack(cols)]) if n else np.zeros((0, X.shape[1] + len(STAGE2_NAMES)))


def looks_like_page(text: str, lines) -> bool:
    """Is ``text`` (non-blank ``lines``) a whole web page pasted, rather than an article's text?"""
    if len(lines) < PAGE_MIN_LINES:
        return False
    short = 0
    for s, e, _ in lines:
        line = text[s:e]
        if len(_WORD.findall(line)) <= SHORT_LINE_WORDS and not _TERMINAL.search(line):
            short += 1
    return short >= PAGE_MIN_SHORT_LINES or short >= PAGE_MIN_SHORT_SHARE * len(lines)


def page_furniture(text: str, lines) -> dict[int, float] | None:
    """``{line index: probability of being the article}`` for the lines the model sets aside,
    or None when ``text`` does not look like a pasted page or no model is available."""
    if not looks_like_page(text, lines):
        return None
    model, pair = pageroute.choose(text, load_model, PageModel)     # a router's modern pair (session 12); routes first
    if model is None:
        return None
    import numpy as np
    from newsgist.reading import pagewrap      # a hard-wrapped page's lines read as logical lines (13's U)
    prob, read, X, at = pagewrap.line_probabilities(text, lines, lambda X, texts: model.probabilities(X, texts)
                                                    if isinstance(model, PageModel) else model.probabilities(X))
    if THREAD_RULE and read:     # a thread under a head the features miss (8d; 9c's VT): the thread set aside
        from newsgist.reading import pagevoice      # CR3 (True) or session 9c's VT ("voice")
        kept = keep_mask(prob, model.threshold, model.relative)[[a for a, _ in at]]
        if (span := pagevoice.page_span(text, read, X, kept, THREAD_RULE)) is not None:
            prob[at[span[0]][0]:at[span[1] - 1][1] + 1] = 0.0      # CR3: the thread only (reviews, session 8)
    keep = keep_mask(prob, model.threshold, model.relative)
    outside = head = ()
    if pagedecode.DECODE != "threshold":      # a per-page decoding (issue 31, session 6)
        w = pagedecode.token_weights(text, lines)
        if pagedecode.doubted(prob):           # a page the model doubts (session 8e, off: pagedecode)
            base, (keep, head) = keep, pagedecode.doubt_decode(
                prob, w, keep, keep_mask(prob, model.threshold, 0.0), lambda: line_shapes(text, lines))
        else:
            base, keep = keep, pagedecode.decode(prob, w, keep)
        outside = frozenset(int(i) for i in np.flatnonzero(base & ~keep))
    # a caption-sized post keeps its byline and date (session 6c's candidate, off: pagedecode)
    post = pagedecode.CAPTION_POST_KEEPS_BYLINE and pagedecode.caption_sized(
        prob, pagedecode.token_weights(text, lines), keep)
    for i in related_runs(text, lines):
        keep[i] = False
    for i, (s, e, _) in enumerate(lines):     # a byline or a bare time stamp is the page's, not the story's
        if keep[i] and not post and i not in head and (_BYLINE_LINE.match(text[s:e]) or _WHEN.match(text[s:e])):
            keep[i] = False
        elif keep[i] and e - s <= PAYWALL_MAX_CHARS and _PAYWALL_LINE.match(text[s:e]):
            keep[i] = False                    # a paywall's notice is the page's (session 6e)
    bios = site = ()
    if pageprose.PROSE_RULE:                   # an author's bio, a site's words about itself (7b, off)
        bios, site = pageprose.prose_furniture(text, lines, keep)
        for i in bios | site:
            keep[i] = False
    out = _Furniture((i, float(p)) for i, p in enumerate(prob) if not keep[i])
    out.outside, out.bios, out.site, out.pair = frozenset(outside), frozenset(bios), frozenset(site), pair
    if PAGE_REPEATED_BLOCKS:
        out.repeats = frozenset(repeated_block_lines(text, lines, [i for i in range(len(lines)) if keep[i]]))
        out.update((i, float(prob[i])) for i in out.repeats)
    return out


def line_shapes(text: str, lines) -> tuple[list[bool], list[bool]]:
    """Session 8e's head (``pagedecode.page_head``): which lines are title-shaped (2 to 16 words,
    no final stop, not lower case first, not a byline or date) and which stamp-shaped (one)."""
    titles, stamps = [], []
    for s, e, _ in lines:
        line = text[s:e].strip()
        stamp = bool(_BYLINE_LINE.match(line) or _WHEN.match(line))
        n = len(_WORD.findall(line))
        stamps.append(stamp)
        titles.append(not stamp and pagedecode.HEAD_TITLE_WORDS[0] <= n <= pagedecode.HEAD_TITLE_WORDS[1]
                      and not _TERMINAL.search(line) and not line[:1].islower())
    return titles, stamps


class _Furniture(dict):
    """``{line index: probability}`` of the furniture lines; ``repeats``: those set aside as an
    other copy of a repeated block (their reason is "repeat"); ``outside``: those the threshold
    keeps and the contiguous-body decoding (or session 8e's doubt rule, off) sets aside (reason
    "outside-body" unless their words or place in a comment thread say more)."""
    repeats: frozenset = frozenset()
    outside: frozenset = frozenset()
    bios: frozenset = frozenset()      # session 7b's sure rule (pageprose.PROSE_RULE): "author-bio"
    site: frozenset = frozenset()      # and "site-about"


# A page printed twice (Dragnet pages rendered with JavaScript off often show a print or mobile
# copy of the article beside the page's own, some three times): a run of at least
# REPEAT_BLOCK_MIN_LINES consecutive kept lines, each of at least REPEAT_BLOCK_MIN_WORDS words,
# whose copies are consecutive kept lines in the same order elsewhere on the page (after the run
# or before it, not overlapping it) is a repeated block; each of its lines is kept once, at the
# copy that lies in the longest stretch of kept lines adjacent on the page (on a tie, the
# earliest), and its other copies are set aside: a full article followed by a teaser or a
# cut-short print copy keeps the full article in its own order. Lone repeated lines
# (code, refrains, a lorem-ipsum line) stay. Issue 31, session 5, round 3 (candidate D2): K and
# W set on the Dragnet training pages out of fold; shipped by the registered rule (BENCHMARKS.md).
PAGE_REPEATED_BLOCKS = True
# A thread rule: "voice" / "voice2", session 9c's VT / VT2 (:mod:`newsgist.reading.pagevoice`: what
# follows the head); True: session 8's CR3 (pagethread: cuts a readers' letters page); False: none.
# VT cut a letters page with time stamps, VT2 a readers'-comments roundup's ending: off (BENCHMARKS, session 9).
THREAD_RULE = False
REPEAT_BLOCK_MIN_LINES = 2
REPEAT_BLOCK_MIN_WORDS = 8


def _runs_in_step(link: list[int], ok: list[bool], k: int) -> list[bool]:
    """Positions in a run of at least ``k`` consecutive ``ok`` positions whose ``link``s (a copy's
    position, -1 for none) are consecutive too and lie outside the run."""
    n = len(link)
    out = [False] * n
    p = 0
    while p < n:
        if not (ok[p] and link[p] >= 0):
            p += 1
            continue
        q = p + 1
        while (q < n and ok[q] and link[q] >= 0 and link[q] == link[q - 1] + 1
               and not (link[p] <= q and link[q] >= p)):
            q += 1
        if q - p >= k:
            out[p:q] = [True] * (q - p)
        p = q
    return out


def repeated_block_lines(text: str, lines, kept: list[int]) -> list[int]:
    """Indices (into ``lines``) of the kept lines set aside as other copies in a repeated block
    (see ``REPEAT_BLOCK_MIN_LINES``): each block line is kept at its copy in the longest stretch
    of page-adjacent kept lines, the earliest on a tie, so the article keeps its own order.
    Linear in the lines (one hash of each normalised line)."""
    n = len(kept)
    norm = [" ".join(text[lines[i][0]:lines[i][1]].split()) for i in kept]
    ok = [len(_WORD.findall(t)) >= REPEAT_BLOCK_MIN_WORDS for t in norm]
    nxt, prv = [-1] * n, [-1] * n       # the next and the previous kept position with the same text
    seen: dict[str, int] = {}
    for p in range(n - 1, -1, -1):
        nxt[p] = seen.get(norm[p], -1)
        seen[norm[p]] = p
    seen.clear()
    for p in range(n):
        prv[p] = seen.get(norm[p], -1)
        seen[norm[p]] = p
    later, earlier = _runs_in_step(nxt, ok, REPEAT_BLOCK_MIN_LINES), _runs_in_step(prv, ok, REPEAT_BLOCK_MIN_LINES)
    stretch = [0] * n                   # the length of the stretch of page-adjacent kept lines at p
    p = 0
    while p < n:
        q = p + 1
        while q < n and kept[q] == kept[q - 1] + 1:
            q += 1
        stretch[p:q] = [q - p] * (q - p)
        p = q
    best: dict[str, int] = {}           # the copy kept of each text: the longest stretch, then the earliest
    for p in range(n):
        b = best.get(norm[p])
        if b is None or stretch[p] > stretch[b]:
            best[norm[p]] = p
    block = {norm[p] for p in range(n) if later[p] or earlier[p]}   # any copy in a block: all are
    return [kept[p] for p in range(n) if norm[p] in block and best[norm[p]] != p]


# A header of related or popular stories ("Related stories", "More in Tech", "Most read"):
# the header and the run of lines under it (no blank line between, no final stop) are
# links. A sure rule: on the Dragnet training pages 98 % of such lines are not article text
# (most of the rest are the article's own headline repeated in a "Most popular" list).
_RELATED_HEADER = re.compile(
    r"^\s*(?:related(?: stories| articles| posts| links| content| coverage| news)?|more (?:stories |news |articles )?"
    r"(?:from|on|in|about) .{0,40}|you (?:may|might) also like|recommended(?: for you| stories| reading)?|see also|"
    r"most (?:read|popular|viewed|shared|emailed)|trending(?: now| stories)?|popular (?:posts|stories|articles)|"
    r"read (?:more|next)|latest (?:news|stories|posts))\s*:?\s*$", re.I)
RELATED_RUN_MAX_WORDS = 16


def related_runs(text: str, lines) -> list[int]:
    """Indices of related-story headers and the link lines listed under them."""
    out = []
    i = 0
    while i < len(lines):
        s, e, _ = lines[i]
        if _RELATED_HEADER.match(text[s:e]):
            out.append(i)
            j = i + 1
            while j < len(lines) and not lines[j][2]:
                line = text[lines[j][0]:lines[j][1]]
                if _TERMINAL.search(line) or len(_WORD.findall(line)) > RELATED_RUN_MAX_WORDS:
                    break
                out.append(j)
                j += 1
            i = j
        else:
            i += 1
    return out


# --- reasons --------------------------------------------------------------------------
# A paywall's notice on a line of its own ("Subscribe to continue reading this article",
# "Already a subscriber? Sign in"): a sure rule like the byline's, added with session 6e's
# comment-shape features (their model scored the notice of tests/test_paste.py's paywall page
# 0.35, above half the page's best); the length cap keeps an article sentence that mentions a
# paywall out of it (the notices read are under 80 characters; 120 not tuned).
PAYWALL_MAX_CHARS = 120
_PAYWALL_LINE = re.compile(
    r"^\s*(?:please\s+)?(?:subscribe|sign in|log in|register|join)\b[^.!?]{0,60}?\bto (?:continue|keep) reading\b"
    r"|^\s*(?:already a (?:subscriber|member)|subscribers? only|this (?:article|story|content) is "
    r"(?:only )?(?:for|available to) (?:subscribers|members))\b", re.I)
# "By Dana Whitcombe, Staff Writer", "Posted by admin": a byline on a line of its own
_BYLINE_LINE = re.compile(r"^\s*(?i:by|posted by|written by)\s+[A-Z][^.!?]{0,60}$")
# A comment thread starts at a line like "Comments (3)", "12 comments", "Leave a reply".
_COMMENTS_HEADER = re.compile(r"^\s*(?:\d+\s+)?(?:comments?|responses?|replies|discussion)\b.{0,20}$|"
                              r"^\s*(?:leave|post|add) (?:a|your) (?:comment|reply)\b", re.I)
# Lines that only say when: "2 hours ago", "March 14, 2026 at 7:05 a.m." (bylines' time stamps)
_WHEN = re.compile(r"^\s*(?:(?:posted|published|updated|last updated)\s*:?\s*)?"
                   r"(?:\d+\s+\w+\s+ago|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}.{0,30}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}.{0,30})$",
                   re.I)
# A prose line of at least this many words in a comment thread is a reader's comment.
COMMENT_MIN_WORDS = 4


def reasons(text: str, lines, furniture) -> dict[int, str]:
    """``{line index: reason}`` for the furniture lines (``furniture``: their indices): a
    reason from the line's words where they say it (cookie notice, newsletter prompt,
    footer, share link, image credit, byline, time stamp), "outside-body" for a likely line the
    contiguous-body decoding set aside, else from its place: before the
    article navigation, inside a comment thread a comment, after the article a related
    headline (four words or more) or the footer."""
    # the article's first and last lines as the threshold kept them: a line the contiguous-body
    # decoding sets aside does not move them (it gets its own reason, "outside-body"), nor does a
    # bio or site-about line of session 7b's rule (off)
    outside = getattr(furniture, "outside", ())
    ruled = frozenset(outside) | getattr(furniture, "bios", frozenset()) | getattr(furniture, "site", frozenset())
    kept = [i for i in range(len(lines)) if i not in furniture or i in ruled]
    first, last = (kept[0], kept[-1]) if kept else (len(lines), -1)
    out: dict[int, str] = {}
    related = set(related_runs(text, lines))
    in_comments = False
    from newsgist.reading.pagethread import HEAD_EXTRA
    extra_head = HEAD_EXTRA if THREAD_RULE else None    # session 8d's head shapes open a thread too
    for i in sorted(furniture):
        s, e, _ = lines[i]
        line = text[s:e]
        n = len(_WORD.findall(line))
        if i > first and (_COMMENTS_HEADER.match(line) or extra_head and extra_head.match(" ".join(line.split()))):
            in_comments = True
        reason = ("repeat" if i in getattr(furniture, "repeats", ()) else "author-bio" if i in getattr(furniture, "bios", ())
                  else "site-about" if i in getattr(furniture, "site", ()) else word_reason(line))
        if reason in ("cookie-notice", "newsletter-prompt", "footer"):
            in_comments = False     # the thread is over: the page's end matter
        if reason is None and i in related:
            reason = "related-link"
        if reason is None and _WHEN.match(line):
            reason = "timestamp"
        if reason is None and not in_comments and i in getattr(furniture, "outside", ()):
            reason = "outside-body"
        if reason is None:
            if i < first:
                reason = "navigation"
            elif in_comments:
                reason = "comment"
            elif i > last and n >= COMMENT_MIN_WORDS * 2 and _TERMINAL.search(line):
                reason = "comment"
            elif n >= 4:
                reason = "related-link"
            else:
                reason = "navigation" if i < last else "footer"
        out[i] = reason
    return out
