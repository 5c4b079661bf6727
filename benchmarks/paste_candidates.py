"""Candidate inputs of the pasted-page model that failed session 6b's registered rule (issue 31).

Kept here, on the benchmark side, so that ``benchmarks/cv_paste.py --page-context`` / ``--meta``
reproduce BENCHMARKS.md "Issue 31, session 6b"; the shipped model reads neither.

- **S, page-context features for stage 2** (:func:`page_context`, :data:`PAGE_NAMES`): how the
  line's first-stage probability stands against the rest of the page (a z-score, its
  token-weighted rank), how much of the page the first stage believes in (token-weighted mean
  probability, share of words above one half), where the line lies against the page's longest
  believed run (lines with first-stage probability at least ``RUN_PROB``, bridging at most
  ``RUN_GAP`` doubted lines, holding the most words: inside it or not, lines and words to it, the
  run's share of the page's words), and its block (the lines between two blank lines: the line's
  share of the block's words, the block's token-weighted mean probability). Linear in the lines
  but for one sort.
- **M, page-metadata flags of a line's words for stage 1** (:func:`meta_flags`,
  :data:`META_NAMES`): a blog post's filing line, an author's bio, a site describing itself,
  comment-form boilerplate, a teaser's tail. Written from the shapes of blogs and news pages in
  general; none names a site.
"""
from __future__ import annotations

import math
import re

# --- S: page-context features for stage 2 ----------------------------------------------
# A line is "believed" by the first stage at this probability; a believed run may bridge
# this many doubted lines (a caption or an inserted link inside the article). Set before
# any measurement: one half is the first stage's own decision point; two lines is the
# smallest gap that bridges a caption and its credit line.
RUN_PROB = 0.5
RUN_GAP = 2
# The z-score's spread has this floor (a page of equal log-odds gives 0, not a division by 0).
Z_MIN_STD = 0.1

PAGE_NAMES = ["p1_z", "p1_tok_rank", "page_mass", "page_share_hi", "in_run", "run_lines_before",
              "run_lines_after", "run_words_between", "run_share", "block_word_share", "block_mass"]


def page_context(words, blank_before, raw1):
    """The :data:`PAGE_NAMES` columns (a matrix, one row a line) from the lines' word counts,
    their blank-before flags and the first stage's log-odds."""
    import numpy as np
    n = len(raw1)
    if n == 0:
        return np.zeros((0, len(PAGE_NAMES)))
    w = np.maximum(np.asarray(words, dtype=np.float64), 0.0)
    wsum = float(w.sum()) or 1.0
    p1 = 1.0 / (1.0 + np.exp(-raw1))
    z = (raw1 - raw1.mean()) / max(float(raw1.std()), Z_MIN_STD)
    # share of the page's words in lines the first stage believes more than this one
    order = np.argsort(-raw1, kind="stable")
    above = np.empty(n)
    above[order] = (np.cumsum(w[order]) - w[order]) / wsum
    mass = float((p1 * w).sum()) / wsum
    share_hi = float(w[p1 >= RUN_PROB].sum()) / wsum
    lo, hi = _best_run(p1 >= RUN_PROB, w)
    idx = np.arange(n)
    inside = ((idx >= lo) & (idx <= hi)).astype(np.float64) if lo >= 0 else np.zeros(n)
    cw = np.concatenate([[0.0], np.cumsum(w)])
    if lo >= 0:
        before = np.log1p(np.clip(lo - idx, 0, None))
        after = np.log1p(np.clip(idx - hi, 0, None))
        between = np.where(idx < lo, cw[lo] - cw[idx + 1], np.where(idx > hi, cw[idx] - cw[hi + 1], 0.0))
        run_share = (cw[hi + 1] - cw[lo]) / wsum
    else:
        before = after = np.full(n, math.log1p(n))
        between = np.full(n, wsum)
        run_share = 0.0
    block = np.cumsum(np.asarray(blank_before, dtype=bool))
    bw = np.bincount(block, weights=w)
    bp = np.bincount(block, weights=w * p1)
    block_share = np.where(bw[block] > 0, w / np.maximum(bw[block], 1e-9), 1.0)
    block_mass = np.where(bw[block] > 0, bp[block] / np.maximum(bw[block], 1e-9), p1)
    return np.column_stack([z, above, np.full(n, mass), np.full(n, share_hi), inside, before, after,
                            np.log1p(between), np.full(n, run_share), block_share, block_mass])


def _best_run(believed, w) -> tuple[int, int]:
    """First and last line of the run of believed lines (doubted gaps of at most RUN_GAP
    lines bridged) holding the most words; (-1, -1) when no line is believed. The earliest
    run wins a tie."""
    best, best_words = (-1, -1), -1.0
    start = last = -1
    words = 0.0
    for i, b in enumerate(believed):
        if not b:
            continue
        if start >= 0 and i - last - 1 <= RUN_GAP:
            words += float(w[last + 1:i + 1].sum())
        else:
            if start >= 0 and words > best_words:
                best, best_words = (start, last), words
            start, words = i, float(w[i])
        last = i
    if start >= 0 and words > best_words:
        best = (start, last)
    return best


# --- M: page-metadata flags of a line's own words ---------------------------------------
_META_FILED = re.compile(r"\b(?:this (?:entry|post) was posted|(?:is )?filed under|posted in|tagged (?:with|as|in)"
                         r"|tags?\s*:|categor(?:y|ies)\s*:|topics?\s*:)", re.I)
_META_BIO = re.compile(r"^\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3},?\s+(?:is|was|has|had|covers|covered|writes|"
                       r"wrote|grew up|lives|joined|reports)\b")
_META_OCCUPATION = re.compile(r"\b(?:editor|writer|reporter|journalist|author|columnist|correspondent|contributor|"
                              r"blogger|founder|producer|freelancer?|critic|analyst|staff|graduated?|degree)s?\b", re.I)
_META_SITE = re.compile(r"\b(?:this|our|my) (?:blog|site|website|web site|newsletter|magazine|podcast)\b", re.I)
_META_FORM = re.compile(r"\bcomments? (?:are|is) (?:moderated|closed)|\bwill not be (?:published|shared|displayed)\b|"
                        r"\brequired fields\b|\bby (?:submitting|posting|clicking)\b|\bcomment policy\b", re.I)
_META_TEASER = re.compile(r"(?:\.\.\.|…)\s*[\])»›>]?\s*$"
                          r"|\b(?:read more|continue reading|full story|read the (?:full|rest))\W*$", re.I)
META_NAMES = ["meta_filed", "meta_bio", "meta_site", "meta_form", "meta_teaser"]


def meta_flags(line: str) -> list[float]:
    """The :data:`META_NAMES` flags of one line (whitespace-normalised)."""
    return [float(bool(_META_FILED.search(line))),
            float(bool(_META_BIO.match(line)) and bool(_META_OCCUPATION.search(line))),
            float(bool(_META_SITE.search(line))), float(bool(_META_FORM.search(line))),
            float(bool(_META_TEASER.search(line)))]


def meta_columns(pasted: str, lines):
    """The :data:`META_NAMES` columns of a page's lines (``(start, end, blank_before)`` spans)."""
    import numpy as np
    rows = [meta_flags(" ".join(pasted[s:e].split())) for s, e, _ in lines]
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(META_NAMES))


def stage2_rows(X, raw1, page_context_on: bool):
    """Stage-2 rows as the shipped model builds them (``pagemodel.stage2_features``), with S's
    :data:`PAGE_NAMES` columns appended when ``page_context_on``."""
    import numpy as np
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagemodel import stage2_features
    rows = stage2_features(X, raw1)
    if not page_context_on:
        return rows
    extra = page_context(X[:, FEATURE_NAMES.index("words")], X[:, FEATURE_NAMES.index("blank_before")], raw1)
    return np.hstack([rows, extra])



# --- C (session 6e): comment-shape line features -- passed its registered rule and moved to
# the shipped model (``newsgist.reading.pagelines``); re-exported here for cv_paste --comment-shape,
# which appends them to the pre-6e feature cache (cv-s4) to reproduce the candidate's run.
from newsgist.reading.pagelines import COMMENT_NAMES, comment_columns, comment_shape  # noqa: E402,F401


# --- L (session 7): a furniture lexicon learned from training pages --------------------------
# Which words mark furniture and which the article, learned across pages rather than written by
# hand (pagelines.FURNITURE_WORDS). Keys of a line: its tokens (lower-cased \w+, the metric's),
# its first token ("^w") and its first two ("^w1 w2"). Counted by pages: a key counts at most
# once per page per class, so one site's template repeated down a page counts once. Kept when
# it occurs on at least LEX_MIN_PAGES pages (generic across outlets, not one site's), then the
# LEX_MAX_KEYS most frequent by pages. Value: ln((furniture pages + 1) / (article pages + 1)),
# positive for furniture. All set before any measurement (BENCHMARKS.md "Issue 31, session 7").
LEX_MIN_PAGES = 15
LEX_MAX_KEYS = 4000
LEX_NEIGHBOURS = 3     # the neighbour window, as the comment-shape columns' (COMMENT_NEIGHBOURS)
LEXICON_NAMES = ["lex_mean", "lex_max", "lex_min", "lex_first", "lex_first2", "lex_known",
                 "lex_mean_near", "lex_first_near"]


def line_keys(tokens) -> list[str]:
    """The lexicon keys of one line's tokens: each token, then "^w" and "^w1 w2"."""
    if not tokens:
        return []
    keys = list(tokens) + ["^" + tokens[0]]
    if len(tokens) > 1:
        keys.append(f"^{tokens[0]} {tokens[1]}")
    return keys


def page_key_sets(line_tokens, y) -> tuple[frozenset, frozenset]:
    """The keys in at least one furniture line (label 0) and in at least one article line."""
    furn, art = set(), set()
    for toks, lab in zip(line_tokens, y):
        (art if lab > 0.5 else furn).update(line_keys(toks))
    return frozenset(furn), frozenset(art)


class Lexicon:
    """Page counts of each kept key (furniture pages, article pages, pages) and their values."""

    def __init__(self, counts: dict, min_pages: int = LEX_MIN_PAGES):
        self.counts = counts                     # key -> (n_f, n_a, n)
        self.min_pages = min_pages
        self.values = {k: math.log((f + 1) / (a + 1)) for k, (f, a, _) in counts.items()}

    @classmethod
    def learn(cls, page_sets, min_pages: int = LEX_MIN_PAGES, max_keys: int = LEX_MAX_KEYS) -> "Lexicon":
        """From each training page's :func:`page_key_sets`."""
        from collections import Counter
        nf, na, n = Counter(), Counter(), Counter()
        for furn, art in page_sets:
            nf.update(furn)
            na.update(art)
            n.update(furn | art)
        kept = sorted((k for k, c in n.items() if c >= min_pages), key=lambda k: (-n[k], k))[:max_keys]
        return cls({k: (nf[k], na[k], n[k]) for k in kept}, min_pages)

    def table_without(self, own: tuple[frozenset, frozenset]) -> dict:
        """The values a page the lexicon was learned from reads: its own page counts taken out
        (a kept key whose count without it falls under ``min_pages`` is unknown to it)."""
        furn, art = own
        out = dict(self.values)
        for k in furn | art:
            c = self.counts.get(k)
            if c is None:
                continue
            f, a, n = c[0] - (k in furn), c[1] - (k in art), c[2] - 1
            if n < self.min_pages:
                del out[k]
            else:
                out[k] = math.log((f + 1) / (a + 1))
        return out


def lexicon_columns(line_tokens, table: dict):
    """The :data:`LEXICON_NAMES` columns of a page's lines (their tokens) with the key values
    ``table``: over the line's known tokens the mean, max and min value (0 when none is known),
    the values of its "^w" and "^w1 w2" keys (0 when unknown), the share of its tokens known,
    then the means of the line's mean and "^w" value over the other rows within
    :data:`LEX_NEIGHBOURS` (0 on a one-row page). A dict lookup a token; linear in the lines."""
    import numpy as np
    rows = []
    for toks in line_tokens:
        vals = [table[t] for t in toks if t in table]
        first = table.get("^" + toks[0], 0.0) if toks else 0.0
        first2 = table.get(f"^{toks[0]} {toks[1]}", 0.0) if len(toks) > 1 else 0.0
        if vals:
            rows.append([sum(vals) / len(vals), max(vals), min(vals), first, first2, len(vals) / len(toks)])
        else:
            rows.append([0.0, 0.0, 0.0, first, first2, 0.0])
    own = np.array(rows, dtype=np.float64).reshape(len(rows), 6)
    n = len(own)
    if n == 0:
        return np.zeros((0, len(LEXICON_NAMES)))
    pick = own[:, [0, 3]]
    k = LEX_NEIGHBOURS
    cs = np.vstack([np.zeros((1, 2)), np.cumsum(pick, axis=0)])
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k, n - 1)
    count = (hi - lo).astype(np.float64)
    sums = cs[hi + 1] - cs[lo] - pick
    near = np.where(count[:, None] > 0, sums / np.maximum(count, 1.0)[:, None], 0.0)
    return np.hstack([own, near])


def fold_lexicon_columns(pages, fold, folds: int, evals=(), min_pages: int = LEX_MIN_PAGES,
                         max_keys: int = LEX_MAX_KEYS, groups=None):
    """Candidate L's columns as cross-validation reads them, with no held-out page in any
    lexicon: ``out[f][i]`` for fold ``f`` and training page ``i`` (``pages``: objects with
    ``line_tokens`` and ``y``; ``fold[i]`` its fold) comes from the lexicon learned on the pages
    outside fold ``f`` (leave-one-page-out for those pages themselves); ``out["full"]`` from the
    lexicon of all ``pages`` (leave-one-page-out), ``out["eval"]`` the same lexicon on ``evals``.
    ``groups`` (L2, session 7: each page's site): the lexicon counts groups, not pages (a group's
    key sets are the unions over its learning pages), ``min_pages`` is then a number of groups,
    and a learning page reads it with its whole group taken out."""
    sets = [page_key_sets(p.line_tokens, p.y) for p in pages]
    groups = list(range(len(pages))) if groups is None else list(groups)
    out = {}
    for f in list(range(folds)) + ["full"]:
        inside = [i for i in range(len(pages)) if f == "full" or fold[i] != f]
        unit: dict = {}
        for i in inside:
            furn, art = unit.get(groups[i], (frozenset(), frozenset()))
            unit[groups[i]] = (furn | sets[i][0], art | sets[i][1])
        lex = Lexicon.learn(list(unit.values()), min_pages, max_keys)
        inside_set = set(inside)
        out[f] = [lexicon_columns(p.line_tokens, lex.table_without(unit[groups[i]]) if i in inside_set else lex.values)
                  for i, p in enumerate(pages)]
        if f == "full":
            out["eval"] = [lexicon_columns(p.line_tokens, lex.values) for p in evals]
            out["lexicon"] = lex
    return out


# --- T (session 7b): furniture prose that reads like the article, and the article's names -----
# Out of fold on the training pages (BENCHMARKS.md "Issue 31, session 7b"), the kept furniture
# lines that cost the most are prose: author bios ("Biggs is the East Coast Editor of TechCrunch
# ...", "Michele McNeil covered education ... before joining"), a site's words about itself ("I
# founded this blog in order to ...", "The digital magazine for guys who love stuff"), and
# headline-sized lines of other stories. Five columns, none naming a site; constants set before
# any measurement of them:
# - t_bio_cues: how many of five bio cues the line holds (a name opening a bio verb, an
#   occupation noun, a "follow / reach him on" cue, a career phrase, a first-person "I am a");
# - t_bio_near: the most bio cues of another line within PROSE_NEIGHBOURS rows (a bio block:
#   the name, the bio, "Follow her on Twitter");
# - t_author_name: one of the line's first AUTHOR_LEAD_WORDS words is a word of a name that a
#   byline-shaped line of the page gives ("By John Biggs" ... "Biggs is the ..."), and the line
#   is not that byline;
# - t_site_voice: how many of three cues of a site speaking of itself the line holds;
# - t_caps_in_core: the share of the line's capitalised words (not its first word) that occur in
#   another line of the page's main prose run (pagelines' ``in_core``): an article line names the
#   article's people and places, a bio or a related headline names others; -1 when the line has
#   no such word or the page no run.
PROSE_NEIGHBOURS = 2
# The cues themselves (bio_cues, site_voice, the byline's names, AUTHOR_LEAD_WORDS = 3) live in
# newsgist.reading.pageprose, shared with session 7b's sure-rule candidate TR.
from newsgist.reading.pageprose import author_lead, bio_cues, byline_names, site_voice  # noqa: E402,F401

_T_CAP = re.compile(r"\b[A-Z][\w'’-]+")
PROSE_NAMES = ["t_bio_cues", "t_bio_near", "t_author_name", "t_site_voice", "t_caps_in_core"]


def _stop():
    from newsgist.text import STOPWORDS
    return STOPWORDS


def _cap_words(line: str) -> set:
    """The capitalised words of ``line`` (whitespace-normalised) but the one opening it,
    lower-cased, not stop words."""
    stop = _stop()
    return {m.group().lower() for m in _T_CAP.finditer(line) if m.start() > 0 and m.group().lower() not in stop}


def prose_columns(pasted: str, lines, in_core):
    """The :data:`PROSE_NAMES` columns of a page's lines (``(start, end, blank_before)`` spans;
    ``in_core``: per line, 1 inside the page's main prose run, pagelines' column). Linear in the
    lines."""
    import numpy as np
    from collections import Counter
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(PROSE_NAMES)))
    texts = [" ".join(pasted[s:e].split()) for s, e, _ in lines]
    bio = np.array([bio_cues(t) for t in texts], dtype=np.float64)
    site = np.array([site_voice(t) for t in texts], dtype=np.float64)
    # names the page's bylines give
    names, byline = byline_names(texts)
    author = np.array([float(not b and author_lead(t, names)) for t, b in zip(texts, byline)])
    # the most bio cues of another row within PROSE_NEIGHBOURS
    near = np.zeros(n)
    for o in range(1, PROSE_NEIGHBOURS + 1):
        near[o:] = np.maximum(near[o:], bio[:-o])
        near[:-o] = np.maximum(near[:-o], bio[o:])
    # capitalised words found in the main prose run (another line of it)
    caps = [_cap_words(t) for t in texts]
    core = np.asarray(in_core, dtype=np.float64) > 0
    vocab = Counter(w for i in np.flatnonzero(core) for w in caps[i])
    shared = np.full(n, -1.0)
    if core.any():
        for i, c in enumerate(caps):
            if c:
                own = 1 if core[i] else 0
                shared[i] = sum(vocab[w] - own > 0 for w in c) / len(c)
    return np.column_stack([bio, near, author, site, shared])


def prose_columns_of(pasted: str, lines, X):
    """:func:`prose_columns` with ``in_core`` read from the shipped feature matrix ``X``."""
    from newsgist.reading.pagelines import FEATURE_NAMES
    return prose_columns(pasted, lines, X[:, FEATURE_NAMES.index("in_core")])
