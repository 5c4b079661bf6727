"""Where the article mentions a line's names, against where it backs the rest of the line
(issue 26, session 4).

A name swapped for another of the same article is usually a name the article mentions
*somewhere else*: the rest of the line ("resulted in their elimination from the group
stages") is backed by one sentence, and the swapped-in name stands paragraphs away from
it. A faithful paraphrase's name is in that sentence, or one or two away (a "he" there
resolved to the name of the sentence before). :func:`mention_evidence` reads, for each
name run of the line (:func:`newsgist.grounding.slots.name_runs`):

* its *anchor*: the sentence that holds most of the rest of the line (its content words
  outside the run, weighted by IDF); ``men_rest_cov``: the share of that weight it holds;
* ``men_dist_*``: how many sentences from the anchor the nearest mention of the name is
  (any word of the run: a surname stands for the full name), capped at :data:`FAR`;
  ``men_word_dist``: the same for each word of a run alone, the farthest;
  ``men_never``: runs the article never mentions;
* ``men_alt``: the anchor (or its neighbour) holds a name the line lacks, where the run is
  not: the name the swap took out; ``men_count_min``: how often the article mentions the
  least mentioned run (a swapped-in name is often a passing one);
* ``men_cov_gap``: the IDF-weighted share of the rest of the line found around (one
  sentence either side) the best mention of the name, below the best such stretch;
* ``pair_rev``: two names of the line that the article has together only in the other
  order ("Sporting Lisbon scored ... for Nani" where it says "Nani headed home the winner as
  Sporting Lisbon beat ..."), ``pair_same``: together in the line's order;
* ``fn_left_*`` / ``fn_right_*``: the word right before (after) a name run or a month or
  weekday, whatever it is ("in", "on", "said"), against the words the article writes right
  before (after) its names: ``own``: the article has this name there too; ``other``: only
  other names ("in [Thursday]" where the article writes "in" before places and "on" before
  Thursday); ``fn2_*``: the same for the two words beside it;
* ``cap_mid_func`` / ``cap_mid_plain``: words a cased line writes capitalised in mid-sentence
  that are function words ("worker I'm started", "the However") or that the article writes
  in lower case, and that the article never writes capitalised beside the same neighbour
  (0 for a lower-cased line);
* ``swap_gain`` / ``swap_pairs`` / ``swap_gain_norm`` (session 5): the line with two of its
  name units exchanged (a unit: a name run, or a run of words a cased line writes
  capitalised), against the line as it is: how many more of the two- and three-word
  stretches that cross a unit's edge the article holds word for word ("editor-in-chief of
  [Anna Wintour]" back to "of American Vogue"); the best pair's gain, the pairs that gain,
  and the gain per unit. A role swap is undone by the exchange; a faithful line, already in
  the article's order, seldom gains.
* ``open_name`` / ``open_count`` / ``open_first`` (session 5, round 2): the line's opening
  unit (a name unit at its first word: its subject slot, where case cannot tell a name from a
  capitalised common word): the least name-like of its content words as the article writes
  them (2: only capitalised in mid-sentence, 1: capitalised there at least once, 0: only in lower
  case or first in a sentence, -1: never; -2: no opening unit), how many sentences mention
  the least mentioned one (log), and the sentence where the latest of them is first mentioned
  (capped at :data:`FIRST_CAP`). A summary line's subject is a name the article uses as one,
  early and often; "Still, a father with ..." and "Salt Lake City International Airport spent
  ..." put a sentence opener or a passing name there. ``unit_name_min`` /
  ``unit_count_min`` / ``unit_first_max``: the same over all the line's name units.

Case-free but for ``cap_mid_*``, the capitalised units of ``swap_*`` and ``open_*`` / ``unit_*``; a few dictionary look-ups per name over the article's
postings (cached on the :class:`~newsgist.grounding.align.Source`).
"""
from __future__ import annotations

import math
import re

from newsgist.grounding.claims import _TOKEN, fold, is_content, runs as _runs, token_spans
from newsgist.grounding.context import _index as context_index
from newsgist.grounding.slots import _entity

# Sentences from the anchor counted; a name farther (or never mentioned) counts this.
FAR = 6
# IDF of a stem the table lacks (as evidence.UNSEEN_IDF).
UNSEEN_IDF = 9.0
MENTIONS = ("men_n", "men_dist_max", "men_dist_mean", "men_word_dist", "men_far", "men_never", "men_rest_cov", "men_alt",
            "men_alt_far", "men_count_min", "men_cov_gap", "pair_same", "pair_rev", "cap_mid_func",
            "cap_mid_plain", "fn_left_own", "fn_left_other", "fn_right_own", "fn_right_other", "fn2_left_own", "fn2_left_other",
            "fn2_right_own", "fn2_right_other", "swap_gain", "swap_pairs", "swap_gain_norm", "open_name",
            "open_count", "open_first", "unit_name_min", "unit_count_min", "unit_first_max")
# What a line copied whole from a sentence would score (check.py skips its evidence).
COPIED = {"men_rest_cov": 1.0}
# Month and weekday names: beside-word look-ups treat them as names ("in [Thursday]" where the
# article writes "on Thursday"; "may" and "march" are verbs too often).
DATES = frozenset("january february april june july august september october november december "
                  "monday tuesday wednesday thursday friday saturday sunday".split())
# Characters between two tokens that start a new sentence or a quotation: a capital after
# them is no mid-sentence capital.
_BREAK = re.compile(r"[.!?:;\"'(\[\u201c\u2018\n]")
# Name units of a line exchanged pairwise for ``swap_*``: the first this many (15 pairs).
MAX_UNITS = 6
# Stretch lengths (tokens) looked up in the article for ``swap_*``.
SWAP_GRAMS = (2, 3)
# ``open_first`` / ``unit_first_max``: sentence index counted at most (and for a word the
# article never has); as far into an article as a summary's subject is seldom first named.
FIRST_CAP = 10
# ``open_name`` / ``unit_name_min`` when the line has no such unit.
NO_UNIT = -2.0


def _caps_pairs(source) -> tuple[set, set]:
    """(left word, capitalised word) and (capitalised word, right word) pairs, lower-cased,
    of every word the article writes capitalised in mid-sentence (cached)."""
    cached = getattr(source, "_caps_pairs", None)
    if cached is None:
        lp, rp = set(), set()
        for sent in source.sentences:
            words = _TOKEN.findall(fold(source.text[sent.start:sent.end]))
            low = [w.lower() for w in words]
            for i in range(1, len(words)):
                if words[i][:1].isupper():
                    lp.add((low[i - 1], low[i]))
                    if i + 1 < len(words):
                        rp.add((low[i], low[i + 1]))
        cached = source._caps_pairs = (lp, rp)
    return cached


def _beside(source, idf, lex) -> tuple[dict, dict]:
    """word (and word pair) -> stems of the names (and dates) the article writes right after
    it, and right before it (cached)."""
    cached = getattr(source, "_beside_names", None)
    if cached is None:
        left: dict = {}
        right: dict = {}
        for sent in source.sentences:
            toks, stems = sent.toks, sent.stems
            for p, (t, st) in enumerate(zip(toks, stems)):
                if t in DATES or _entity(source, lex, t, st, idf):
                    for key in _keys(toks, p, -1):
                        left.setdefault(key, set()).add(st)
                    for key in _keys(toks, p, 1):
                        right.setdefault(key, set()).add(st)
        cached = source._beside_names = (left, right)
    return cached


def _keys(toks, p: int, step: int) -> list:
    """The word beside position ``p`` on one side, and the two words (a tuple)."""
    q, out = p + step, []
    if 0 <= q < len(toks):
        out.append(toks[q])
        if 0 <= q + step < len(toks):
            out.append((toks[q + step], toks[q]) if step < 0 else (toks[q], toks[q + step]))
    return out


def _fn_beside(source, line, runs, idf, lex, f: dict) -> None:
    left, right = _beside(source, idf, lex)
    toks, stems = line.toks, line.stems
    dates = [(i, i + 1) for i, t in enumerate(toks) if t in DATES and not any(a <= i < b for a, b in runs)]
    for a, b in list(runs) + dates:
        mine = set(stems[a:b])
        for side, p, step, name in ((left, a, -1, "left_"), (right, b - 1, 1, "right_")):
            for key, prefix in zip(_keys(toks, p, step), ("fn_", "fn2_")):
                if key in side:
                    f[prefix + name + ("own" if mine & side[key] else "other")] += 1


def _cap_mid(source, line, lex, idf, f: dict) -> None:
    text = line.text
    spans = token_spans(text)
    cased = [text[a:b] for _, a, b in spans]
    if len(cased) != len(line.toks) or not any(w.islower() for w in cased):
        return
    lp, rp = _caps_pairs(source)
    toks = line.toks
    for i in range(1, len(toks)):
        w = cased[i]
        if not w[:1].isupper() or w[:1].isdigit() or _BREAK.search(text[spans[i - 1][2]:spans[i][1]]):
            continue
        t = toks[i]
        if (toks[i - 1], t) in lp or (i + 1 < len(toks) and (t, toks[i + 1]) in rp):
            continue
        if not is_content(t):
            f["cap_mid_func"] += 1
        elif line.stems[i] not in source.capitalised and (line.stems[i] in source.stems
                                                           or (lex is not None and t in lex.plain)):
            f["cap_mid_plain"] += 1


def mention_evidence(source, line, runs, idf: dict, lex, f: dict) -> None:
    """Fill the :data:`MENTIONS` features of ``f`` for one line (see the module doc);
    ``runs``: its name runs, (first, last + 1) token spans."""
    idf = idf or {}
    _cap_mid(source, line, lex, idf, f)
    _fn_beside(source, line, runs, idf, lex, f)
    f["men_rest_cov"] = 1.0
    toks, stems = line.toks, line.stems
    _, _, where = context_index(source)
    sents = source.sentences
    n = len(sents)
    weight = {s: idf.get(s, UNSEEN_IDF) for t, s in zip(toks, stems) if is_content(t)}
    dists, counts, seen_runs = [], [], []
    line_stems = set(stems)
    gap_max = 0.0
    for a, b in runs:
        keys = [s for s in dict.fromkeys(stems[a:b]) if is_content(toks[stems.index(s, a)])]
        if not keys or set(keys) in seen_runs:
            continue
        seen_runs.append(set(keys))
        rest = {s: w for s, w in weight.items() if s not in keys}
        total = math.fsum(rest.values())
        mentions = sorted({k for s in keys for k in where.get(s, ())})
        counts.append(len(mentions))
        if total <= 0:
            continue
        score: dict[int, float] = {}
        for s, w in rest.items():
            for k in source.postings.get(s, ()):
                score[k] = score.get(k, 0.0) + w
        if not score:
            continue
        anchor = max(score, key=lambda k: (score[k], -k))
        f["men_rest_cov"] = min(f["men_rest_cov"], score[anchor] / total)
        d = min((abs(anchor - m) for m in mentions), default=FAR)
        d = min(d, FAR)
        dists.append(d)
        for s in keys:  # each word of the run on its own ("Bulava (QRA)": one word is the article's)
            wd = min((abs(anchor - m) for m in where.get(s, ())), default=FAR)
            f["men_word_dist"] = max(f["men_word_dist"], float(min(wd, FAR)))
        f["men_never"] += not mentions
        if d >= 2:
            f["men_far"] += 1
        if d >= 1:  # the anchor, or a neighbour, names someone the line does not
            near = range(max(0, anchor - 1), min(n, anchor + 2))
            alt = any(s not in line_stems and lex is not None and lex.entity(t, s, idf) or s in source.capitalised
                      and s not in line_stems and is_content(t)
                      for k in near for t, s in zip(sents[k].toks, sents[k].stems))
            f["men_alt"] += alt
            f["men_alt_far"] += alt and d >= 2
        # the rest of the line around the name's best mention, against the best anywhere
        win: dict[int, float] = {}
        for k, v in score.items():
            for c in (k - 1, k, k + 1):
                if 0 <= c < n:
                    win[c] = win.get(c, 0.0) + v
        best = max(win.values())
        own = max((win.get(m, 0.0) for m in mentions), default=0.0)
        gap_max = max(gap_max, (best - own) / total)
    f["men_n"] = float(len(dists))
    f["men_dist_max"] = float(max(dists, default=0))
    f["men_dist_mean"] = sum(dists) / len(dists) if dists else 0.0
    f["men_count_min"] = math.log1p(min(counts)) if counts else 0.0
    f["men_cov_gap"] = gap_max
    _pairs(source, line, runs, where, f)
    units = _units(line, runs) if len(stems) >= 3 else []
    _swap_back(source, line, units, f)
    _known(source, line, units, where, f)


def _pairs(source, line, runs, where, f: dict) -> None:
    """pair_same / pair_rev over the line's pairs of distinct name runs (see the module doc)."""
    stems = line.stems
    keys = []
    for a, b in runs:
        k = [s for s in dict.fromkeys(stems[a:b]) if s in where]
        if k and not any(set(k) & set(o) for o in keys):
            keys.append(k)
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            k1, k2 = keys[x], keys[y]
            both = {k for s in k1 for k in where[s]} & {k for s in k2 for k in where[s]}
            same = rev = False
            for k in both:
                st = source.sentences[k].stems
                p1 = min(i for i, s in enumerate(st) if s in k1)
                p2 = min(i for i, s in enumerate(st) if s in k2)
                same |= p1 < p2
                rev |= p2 < p1
            f["pair_same"] += same
            f["pair_rev"] += rev and not same


def _units(line, runs) -> list[tuple[int, int]]:
    """The line's name units: runs of name-run words and of words a cased line writes
    capitalised, each spelling once, the first :data:`MAX_UNITS`."""
    mark = {i for a, b in runs for i in range(a, b)}
    spans = token_spans(line.text)
    if len(spans) == len(line.stems):
        mark.update(i for i, (_, a, b) in enumerate(spans) if line.text[a:a + 1].isupper())
    units, seen = [], set()
    for a, b in _runs(len(line.stems), mark.__contains__):
        key = tuple(line.stems[a:b])
        if key not in seen:
            seen.add(key)
            units.append((a, b))
    return units[:MAX_UNITS]


def _grams(source) -> set:
    """The article's stretches of :data:`SWAP_GRAMS` stems, across sentence ends (cached)."""
    cached = getattr(source, "_swap_grams", None)
    if cached is None:
        st = [s for x in source.sentences for s in x.stems]
        cached = source._swap_grams = {tuple(st[i:i + n]) for n in SWAP_GRAMS for i in range(len(st) - n + 1)}
    return cached


def _fit(grams: set, seq: list, touch: set) -> int:
    """How many stretches of ``seq`` (:data:`SWAP_GRAMS` long) that hold some but not all
    positions of ``touch`` the article has word for word (``grams``)."""
    c = 0
    for n in SWAP_GRAMS:
        for i in range(len(seq) - n + 1):
            inside = sum(1 for j in range(i, i + n) if j in touch)
            if 0 < inside < n and tuple(seq[i:i + n]) in grams:
                c += 1
    return c


def _swap_back(source, line, units, f: dict) -> None:
    """swap_gain / swap_pairs / swap_gain_norm (see the module doc); ``units``: :func:`_units`."""
    stems = line.stems
    if len(units) < 2:
        return
    grams = _grams(source)
    best = pairs = 0
    for x in range(len(units)):
        for y in range(x + 1, len(units)):
            (a1, b1), (a2, b2) = units[x], units[y]
            swapped = stems[:a1] + stems[a2:b2] + stems[b1:a2] + stems[a1:b1] + stems[b2:]
            c2 = a1 + (b2 - a2) + (a2 - b1)  # where the first unit lands
            gain = (_fit(grams, swapped, set(range(a1, a1 + b2 - a2)) | set(range(c2, c2 + b1 - a1)))
                    - _fit(grams, stems, set(range(a1, b1)) | set(range(a2, b2))))
            pairs += gain > 0
            best = max(best, gain)
    f["swap_gain"] = float(best)
    f["swap_pairs"] = float(pairs)
    f["swap_gain_norm"] = best / len(units)


def _known(source, line, units, where: dict, f: dict) -> None:
    """open_* / unit_* (see the module doc); ``units``: :func:`_units`, ``where``: stem -> the
    sentences that have it, in order (context._index)."""
    f["open_name"] = f["unit_name_min"] = NO_UNIT
    toks, stems = line.toks, line.stems
    levels, counts, firsts = [], [], []
    for a, b in units:
        keys = [s for t, s in zip(toks[a:b], stems[a:b]) if is_content(t)]
        if not keys:
            continue
        levels.append(min(2 if s in source.capitalised else 1 if s in source.caps_any else 0 if s in source.stems
                          else -1 for s in keys))
        counts.append(min(len(where.get(s, ())) for s in keys))
        firsts.append(min(FIRST_CAP, max(where[s][0] if s in where else FIRST_CAP for s in keys)))
        if a == 0:
            f["open_name"] = float(levels[-1])
            f["open_count"] = math.log1p(counts[-1])
            f["open_first"] = float(firsts[-1])
    if levels:
        f["unit_name_min"] = float(min(levels))
        f["unit_count_min"] = math.log1p(min(counts))
        f["unit_first_max"] = float(max(firsts))
