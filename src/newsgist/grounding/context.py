"""Where a line's names and numbers stand, against where the article has them (issue 26).

A name swapped for another of the same article, two names swapped around a verb (who did
what to whom), a number given to another noun: every word of the wrong line is in the
article, and a line that paraphrases looks no different to word overlaps. What differs
is the *context* of the name or number: the words beside it. :func:`context_evidence`
compares, for each entity of the line (a run of name-like tokens: :class:`Lexicon`, shipped
with the model; or a number), the content words within :data:`K` tokens on its left and on its right with the
words beside its mentions in the article, side by side (:data:`CONTEXT` features):

* ``side``: the share of the line's neighbours found on the same side of a mention;
  ``flip``: found only on the other side ("Celtic criticised the SFA" told as "the SFA
  criticised Celtic": both names have "criticised" on the wrong side);
* ``exch``: two entities of the line whose neighbours fit each other's mentions better
  than their own (a role swap: each has the other's place);
* ``repl``: another entity of the support sentences whose mentions fit the line's
  neighbours better than the entity's own (the aligned word is a different name / a
  different number: a name or number swap);
* ``cov``: the share of the line's other content words found around (the sentence and
  one either side) a mention of the entity, and ``gap``: how far that falls below the
  best such stretch of the article (the line's facts are told of someone else).

Everything is case-free (the training text is lower-cased) and costs one pass over the
article (cached on the :class:`~newsgist.grounding.align.Source`) plus a few set
operations per entity.
"""
from __future__ import annotations

from newsgist.grounding.claims import _TOKEN, fold, is_content, runs
from newsgist.grounding.numeric import number_tokens
from newsgist.grounding.tight import RARE_IDF, candidates

class Lexicon:
    """Which words are names: ``names``, words news text writes capitalised though they are
    common (IDF below RARE_IDF: "liverpool", "obama"), and every rare word (IDF at least
    RARE_IDF, or unseen) but those of ``plain``, rare words cased news text writes in lower
    case ("cartilage", "criticised"). Built from the cased shared articles by the training
    (newsgist.evaluation.train_check) and shipped with the trees."""

    def __init__(self, names=(), plain=()):
        self.names, self.plain = frozenset(names), frozenset(plain)

    def entity(self, tok: str, st: str, idf: dict) -> bool:
        if not is_content(tok) or tok[:1].isdigit():
            return False
        return tok in self.names or (idf.get(st, 99.0) >= RARE_IDF and tok not in self.plain)


EMPTY = Lexicon()
# Tokens either side of an entity whose content words are its context.
K = 4
# An entity must have at least this many context words in the line to be compared.
MIN_CONTEXT = 1
# Other entities tried as the "replaced" one: those of the support and candidate sentences.
CONTEXT = ("ent_n", "ent_side_min", "ent_side_mean", "ent_flip_max", "ent_und_min", "ent_cov_min", "ent_cov_gap",
           "ent_exch", "ent_repl", "ent_repl_n", "num_n", "num_side_min", "num_flip_max", "num_cov_min",
           "num_cov_gap", "num_repl", "by_diff", "swap_weak", "swap_edge", "ent_dropped", "case_odd")
# What a line copied whole from a sentence would score (check.py skips its evidence).
COPIED = {"ent_side_min": 1.0, "ent_side_mean": 1.0, "ent_und_min": 1.0, "ent_cov_min": 1.0, "num_side_min": 1.0,
          "num_cov_min": 1.0, "slot_ent_own_share": 1.0,
          "slot_loose_own_share": 1.0}


def _index(source) -> tuple[dict, dict, dict]:
    """stem -> content stems within K tokens left / right of its mentions (same sentence),
    and stem -> sentence indices of its mentions; built once per source."""
    cached = getattr(source, "_context_index", None)
    if cached is not None:
        return cached
    left: dict[str, set] = {}
    right: dict[str, set] = {}
    where: dict[str, list[int]] = {}
    for k, sent in enumerate(source.sentences):
        st = sent.stems
        keep = [is_content(t) for t in sent.toks]
        for p, s in enumerate(st):
            w = where.setdefault(s, [])
            if not w or w[-1] != k:
                w.append(k)
            if not keep[p]:
                continue
            lset = left.setdefault(s, set())
            rset = right.setdefault(s, set())
            lset.update(st[q] for q in range(max(0, p - K), p) if keep[q])
            rset.update(st[q] for q in range(p + 1, min(len(st), p + K + 1)) if keep[q])
    source._context_index = (left, right, where)
    return source._context_index


def _runs(toks, stems, idf, lex) -> tuple[list, list]:
    """(name runs, number runs) of a line: (first, last + 1) token spans."""
    nums = [(a, b + 1) for a, b, _ in number_tokens(toks)]
    in_num = {i for a, b in nums for i in range(a, b)}
    return runs(len(toks), lambda i: i not in in_num and lex.entity(toks[i], stems[i], idf)), nums


def _line_side(toks, stems, a, b) -> tuple[set, set]:
    own = set(stems[a:b])
    lset = {stems[q] for q in range(max(0, a - K), a) if is_content(toks[q]) and stems[q] not in own}
    rset = {stems[q] for q in range(b, min(len(toks), b + K)) if is_content(toks[q]) and stems[q] not in own}
    return lset, rset


def _art_side(left, right, keys) -> tuple[set, set]:
    la, ra = set(), set()
    for s in keys:
        la |= left.get(s, set())
        ra |= right.get(s, set())
    return la - set(keys), ra - set(keys)


def _fit(ll, rl, la, ra) -> tuple[float, float, float]:
    """(same side, other side only, either side) shares of the line's neighbours."""
    tot = len(ll) + len(rl)
    both = ll | rl
    return ((len(ll & la) + len(rl & ra)) / tot, (len((ll & ra) - la) + len((rl & la) - ra)) / tot,
            len(both & (la | ra)) / len(both))


def _windows(source, others: set) -> dict[int, int]:
    """centre sentence -> how many of ``others`` its sentence and one either side hold."""
    count: dict[int, int] = {}
    n = len(source.sentences)
    for o in others:
        seen = set()
        for k in source.postings.get(o, ()):
            seen.update(c for c in (k - 1, k, k + 1) if 0 <= c < n)
        for c in seen:
            count[c] = count.get(c, 0) + 1
    return count


def _group(source, line, runs, support, idf, lex, is_num: bool, f, prefix) -> None:
    left, right, where = _index(source)
    toks, stems = line.toks, line.stems
    content = {s for t, s in zip(toks, stems) if is_content(t)}
    line_stems = set(stems)
    pool: set[str] = set()
    if runs:
        for k in candidates(source, line, support):
            sent = source.sentences[k]
            if is_num:
                pool.update(sent.stems[a] for a, _, _ in number_tokens(sent.toks))
            else:
                pool.update(s for t, s in zip(sent.toks, sent.stems) if lex.entity(t, s, idf))
        pool -= line_stems
    sides, flips, unds, covs, gaps, fits = [], [], [], [], [], []
    for a, b in runs:
        keys = [s for s in dict.fromkeys(stems[a:b]) if s in where]
        if not keys:
            continue
        ll, rl = _line_side(toks, stems, a, b)
        if len(ll) + len(rl) < MIN_CONTEXT:
            continue
        la, ra = _art_side(left, right, keys)
        side, flip, und = _fit(ll, rl, la, ra)
        sides.append(side)
        flips.append(flip)
        unds.append(und)
        fits.append((ll, rl, keys, side))
        others = content - set(stems[a:b])
        if others:
            count = _windows(source, others)
            mentions = {k for s in keys for k in where[s]}
            own = max((count.get(k, 0) for k in mentions), default=0) / len(others)
            covs.append(own)
            gaps.append(max(count.values(), default=0) / len(others) - own)
        if pool and side < 1.0:
            repl = max(_fit(ll, rl, *_art_side(left, right, [g]))[0] for g in sorted(pool)) - side
            if repl > 0:
                f[prefix + "repl"] = max(f[prefix + "repl"], repl)
                if not is_num:
                    f["ent_repl_n"] += 1
    f[prefix + "n"] = float(len(sides))
    f[prefix + "side_min"] = min(sides, default=1.0)
    f[prefix + "flip_max"] = max(flips, default=0.0)
    f[prefix + "cov_min"] = min(covs, default=1.0)
    f[prefix + "cov_gap"] = max(gaps, default=0.0)
    if not is_num:
        f["ent_side_mean"] = sum(sides) / len(sides) if sides else 1.0
        f["ent_und_min"] = min(unds, default=1.0)
        for x in range(len(fits)):  # two entities in each other's places
            for y in range(x + 1, len(fits)):
                (l1, r1, k1, s1), (l2, r2, k2, s2) = fits[x], fits[y]
                if set(k1) & set(k2):
                    continue
                cross = _fit(l1, r1, *_art_side(left, right, k2))[0] + _fit(l2, r2, *_art_side(left, right, k1))[0]
                f["ent_exch"] = max(f["ent_exch"], (cross - s1 - s2) / 2)


def context_evidence(source, line, support, idf: dict, lex: Lexicon | None, f: dict, best=None,
                     span=(0, -1)) -> None:
    """Fill the :data:`CONTEXT` features of ``f`` for one line (see the module doc); ``best``:
    its best sentence, ``span``: the first and last token of it the line aligns to.

    Also ``ent_dropped``: names of that stretch the line lacks (swapped out); ``case_odd``:
    words a cased line writes capitalised mid-line that the article writes only in lower
    case or first in a sentence ("in the However has"; 0 for a lower-cased line)."""
    lex = lex or EMPTY
    runs, nums = _runs(line.toks, line.stems, idf, lex)
    _group(source, line, runs, support, idf, lex, False, f, "ent_")
    _group(source, line, nums, support, idf, lex, True, f, "num_")
    if best is not None:
        f["by_diff"] = float(("by" in line.toks) != ("by" in best.toks))
        have = set(line.stems)
        f["ent_dropped"] = float(len({s for t, s in zip(best.toks[span[0]:span[1] + 1], best.stems[span[0]:span[1] + 1])
                                      if s not in have and lex.entity(t, s, idf)}))
    cased = _TOKEN.findall(fold(line.text))
    if len(cased) == len(line.toks) and any(w[:1].isupper() for w in cased[1:]) and any(w.islower() for w in cased):
        f["case_odd"] = float(sum(1 for i in range(1, len(cased)) if cased[i][:1].isupper()
                                  and is_content(line.toks[i]) and not line.toks[i][:1].isdigit()
                                  and line.stems[i] in source.stems and line.stems[i] not in source.caps_any))
