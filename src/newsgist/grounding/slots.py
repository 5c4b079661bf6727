"""What the article puts in a name's or number's slot (issue 26, session 3).

A name swapped for another of the same article usually keeps the words right beside it:
"a victory over *West Brom* and" where the article has "a victory over *Stoke* and". Two
names exchanged ("*Moores* believes that *Downton*") leave each in the other's slot. A
paraphrase may drop the words around a name, but it rarely puts the name next to words
that the article uses, word for word, with another name. :func:`slot_evidence` reads, for
each name run and number of the line (:func:`newsgist.grounding.context._runs`), its left
and its right *slot key*: the words beside it up to and including the nearest content word
(at most :data:`MAX_KEY` tokens; "win against", "the hippocratic" -> "hippocratic"), and
looks the key up in the article, where the same key was read at every token:

* ``own``: the article has this name (or number) in that slot;
* ``other``: the article has the key, but only with *another* name (number) in the slot,
  never this one: the slot is taken (:data:`SLOTS` ``slot_other``);
* otherwise the key is not in the article (the line rewords there) and says nothing.

A name run is widened by the words the article writes right beside it ("[west] brom"), and
takes in the words this article writes only capitalised ("Arch Rock": two common words). Two
neighbouring names with the words between them that the article has only the other way
round ("Puncheon and teammate Zaha" for "Zaha and teammate Puncheon") are ``pair_flip``, a
hard relation piece (:func:`newsgist.grounding.evidence.extra_evidence`). Whose slot a name
took: another name of the line (``slot_held_line``: a role swap) or a name of the support
sentences that the line lacks (``slot_held_support``: a name swapped for another).

Case-free, one pass over the article (cached on the Source), a few dictionary look-ups per
entity; the features feed the line trees.
"""
from __future__ import annotations

from newsgist.grounding.claims import is_content, runs
from newsgist.grounding.numeric import number_tokens

# A slot key reaches at most this many tokens from the entity, and must hold a content
# word (a key of function words only -- "of the" -- is beside every name of an article).
MAX_KEY = 3
# A name run takes in at most this many words on each side that the article writes beside
# it (a name's common words: "west" of "west brom"; the lexicon counts only rare ones).
MAX_EXTEND = 2
# Two names at most this many tokens apart are compared with the article the other way round.
MAX_BETWEEN = 8
SLOTS = ("slot_sides", "slot_own", "slot_other", "slot_other_share", "slot_run_other", "slot_num_other",
         "slot_ent_own_share", "slot_loose_other", "slot_loose_run_other", "slot_loose_own_share", "pair_flip",
         "slot_held_line", "slot_held_support")


def _key(toks, stems, p: int, step: int, loose: bool = False):
    """The slot key of position ``p`` on one side (step -1: left, +1: right), or None;
    ``loose``: the nearest content word alone, whatever function words stand between
    ("victory over" and "victory at" both -> "victory")."""
    out, q = [], p + step
    while 0 <= q < len(toks) and len(out) < MAX_KEY:
        out.append(stems[q])
        if is_content(toks[q]):
            return ("~", stems[q]) if loose else tuple(out)
        q += step
    return None


def _entity(source, lex, tok: str, st: str, idf: dict) -> bool:
    """A name word: the lexicon's (case-free), or a word the article writes only capitalised."""
    return (lex is not None and lex.entity(tok, st, idf)) or (st in source.capitalised and is_content(tok)
                                                               and not tok[:1].isdigit())


def name_runs(source, toks, stems, idf, lex, nums) -> list[tuple[int, int]]:
    in_num = {i for a, b in nums for i in range(a, b)}
    return runs(len(toks), lambda i: i not in in_num and _entity(source, lex, toks[i], stems[i], idf))


def _stream(source) -> str:
    """The article's stems, one space apart, padded (for :func:`_pair_flips`)."""
    cached = getattr(source, "_slot_stream", None)
    if cached is None:
        cached = source._slot_stream = " " + " ".join(s for x in source.sentences for s in x.stems) + " "
    return cached


def _pair_flips(source, stems, runs) -> list[tuple[int, int]]:
    """Pairs of neighbouring name runs whose words between (at most MAX_BETWEEN) the
    article has with the two names the other way round, and never this way: "Puncheon and
    teammate Zaha" where the article says "Zaha and teammate Puncheon"."""
    text, out = _stream(source), []
    for (a1, b1), (a2, b2) in zip(runs, runs[1:]):
        mid = stems[b1:a2]
        if not 0 < len(mid) <= MAX_BETWEEN:
            continue
        same = " " + " ".join([stems[b1 - 1]] + mid + [stems[a2]]) + " "
        flip = " " + " ".join([stems[b2 - 1]] + mid + [stems[a1]]) + " "
        if flip in text and same not in text:
            out.append((a1, b2 - 1))
    return out


def _index(source, idf: dict, lex) -> tuple[dict, dict]:
    """left key -> {stem: kind} of the token after it, right key -> {stem: kind} of the
    token before it; kind "e" a name, "n" a number, "w" another word."""
    cached = getattr(source, "_slot_index", None)
    if cached is not None:
        return cached
    left: dict[tuple, dict] = {}
    right: dict[tuple, dict] = {}
    for sent in source.sentences:
        toks, stems = sent.toks, sent.stems
        num = {i for a, b, _ in number_tokens(toks) for i in range(a, b + 1)}
        for p, (t, s) in enumerate(zip(toks, stems)):
            kind = "n" if p in num else "e" if _entity(source, lex, t, s, idf) else "w"
            if kind == "w" and not is_content(t):
                continue
            for side, step in ((left, -1), (right, 1)):
                for loose in (False, True):
                    k = _key(toks, stems, p, step, loose)
                    if k is not None:
                        d = side.setdefault(k, {})
                        if d.get(s) != "e":
                            d[s] = kind
    source._slot_index = (left, right)
    return source._slot_index


def _extend(bigrams, toks, stems, a: int, b: int) -> tuple[int, int]:
    """A name run widened by up to MAX_EXTEND content words either side that the article
    writes next to it ("[west] brom", "stoke [city]"): the common first word of a name is
    part of it, not the words beside it."""
    for _ in range(MAX_EXTEND):
        if a > 0 and is_content(toks[a - 1]) and (stems[a - 1], stems[a]) in bigrams:
            a -= 1
        if b < len(toks) and is_content(toks[b]) and (stems[b - 1], stems[b]) in bigrams:
            b += 1
    return a, b


def _lookup(bigrams, left, right, toks, stems, spans, kind, loose, holders=None) -> tuple[int, int, int, int, int]:
    """(sides looked up, sides own, sides taken by another, runs only taken, runs own) of
    ``spans`` (name runs: kind "e", numbers: "n"); ``holders`` (a list) gets, for each run
    only taken, the names the article has in its slots."""
    sides = own = other = run_other = run_own = 0
    for a, b in spans:
        a, b = _extend(bigrams, toks, stems, a, b) if kind == "e" else (a, b)
        mine = set(stems[a:b])
        found_own = found_other = False
        held: set = set()
        for side, p, step in ((left, a, -1), (right, b - 1, 1)):
            k = _key(toks, stems, p, step, loose)
            slot = side.get(k) if k is not None else None
            if not slot:
                continue
            sides += 1
            if mine & slot.keys():
                own += 1
                found_own = True
            elif kind in slot.values():
                other += 1
                found_other = True
                held.update(x for x, v in slot.items() if v == kind)
        run_other += found_other and not found_own
        if holders is not None and found_other and not found_own:
            holders.append((set(stems[a:b]), held))
        run_own += found_own
    return sides, own, other, run_other, run_own


def slot_evidence(source, line, idf: dict, lex, f: dict, support=(), nums=None, runs=None) -> list[tuple[int, int]]:
    """Fill the :data:`SLOTS` features of ``f`` for one line (see the module doc); return
    the (first, last) tokens of each pair of names the article has the other way round
    (:func:`_pair_flips`). Name runs: the lexicon's names (``lex``) and the words the
    article writes only capitalised ("Arch Rock": two common words, one name here).
    ``support``: the line's support sentences (indices), for ``slot_held_support``; ``nums`` /
    ``runs``: the line's number and name runs when the caller has them already."""
    left, right = _index(source, idf, lex)
    toks, stems = line.toks, line.stems
    if nums is None:
        nums = [(a, b + 1) for a, b, _ in number_tokens(toks)]
    if runs is None:
        runs = name_runs(source, toks, stems, idf, lex, nums)
    holders: list = []
    es, eo, ex, erx, ero = _lookup(source.bigrams, left, right, toks, stems, runs, "e", False, holders)
    ns, no, nx, nrx, _ = _lookup(source.bigrams, left, right, toks, stems, nums, "n", False)
    f["slot_sides"] = float(es + ns)
    f["slot_own"] = float(eo + no)
    f["slot_other"] = float(ex + nx)
    f["slot_other_share"] = (ex + nx) / (es + ns) if es + ns else 0.0
    f["slot_run_other"] = float(erx + nrx)
    f["slot_num_other"] = float(nx)
    f["slot_ent_own_share"] = ero / len(runs) if runs else 1.0
    _, _, lx, lrx, lro = _lookup(source.bigrams, left, right, toks, stems, runs, "e", True, holders)
    f["slot_loose_other"] = float(lx)
    f["slot_loose_run_other"] = float(lrx)
    f["slot_loose_own_share"] = lro / len(runs) if runs else 1.0
    # whose place the name took: another name of the line (a role swap), or a name of the
    # support sentences that the line lacks (a name swapped for another); counted per look-up
    # (strict and loose keys: a run taken on both counts twice)
    line_names = {st for a, b in runs for st in stems[a:b]}
    sup = {st for k in support for st in source.sentences[k].stems}
    f["slot_held_line"] = float(sum(1 for mine, held in holders if held & (line_names - mine)))
    f["slot_held_support"] = float(sum(1 for mine, held in holders if (held - line_names) & sup))
    flips = _pair_flips(source, stems, runs)
    f["pair_flip"] = float(len(flips))
    return flips
