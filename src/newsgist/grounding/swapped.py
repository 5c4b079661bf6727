"""A name put where the article has another name of its own (issue 26, session 6b).

The commonest name error of a summariser copies a stretch of an article sentence and puts
the wrong one of the article's names in it: "[Lee] held the outright lead after three
birdies" where the article says "[Horsey] held the outright lead after three birdies", and
mentions Lee elsewhere. The line model reads such a line as backed (its words are the
sentence's, the name is the article's), and the tight substitution check (tight.py) makes it
hard only inside a line, both names capitalised. :func:`swapped_names` finds the plain case,
also at the line's first or last words and in lower-cased text: the line follows an article
sentence word for word on both sides of a short slot (:data:`CONTEXT` aligned tokens each
side; :data:`EDGE_CONTEXT` on the one side of a slot at the line's edge), the sentence's slot
holds a NAME Y (no pronoun, no description: "the Swede", "the club" are left alone) and the
line's slot another name X that

* the article mentions, but never beside the words the line puts around it, and never in a
  sentence that holds most of the stretch (a fused line may follow that other sentence);
* is no alias of Y: no word in common (a surname for the full name), neither the initials
  of the other, not written within :data:`APPOS` tokens of Y anywhere in the article
  ("Sporting Lisbon's Nani", "Westminster, London": one thing named twice), and Y is not in
  the line elsewhere (a sentence retold in another order).

A faithful coreference ("he" / "the minister" resolved to a name) has no name in the
sentence's slot and is never read. Such a piece is hard (:data:`HARD`): the line is
unsupported whatever its score (check.hard_pieces).
"""
from __future__ import annotations

from newsgist.grounding.claims import _TOKEN, fold, is_content
from newsgist.grounding.tight import candidates, lcs_pairs

# Whether a swap is a hard ``name`` piece of check.line_evidence.
HARD = True
# The most tokens the line's slot (X) and the sentence's slot (Y) may hold.
SLOT = 3
# Aligned tokens, word for word and contiguous in both, the line must share with the sentence
# right before and right after an inner slot; at the line's first (last) words, right after
# (before) it, EDGE_CONTEXT of them.
CONTEXT = 2
EDGE_CONTEXT = 4
# Of the aligned tokens around the slot, at least this many content words.
MIN_CONTEXT_CONTENT = 2
# X and Y written within this many tokens of each other in one sentence of the article:
# one thing named twice (apposition, "X of Y", "Y's X").
APPOS = 3
# A sentence that mentions X and holds at least this share of the stretch's content words
# may be the one the line follows there: no swap.
OTHER_SHARE = 0.5
# Work cap: a line longer than this many tokens is not read (one alignment per candidate
# sentence is len(line) x len(sentence)); sentences are cut to MAX_SENT tokens.
MAX_LINE = 80
MAX_SENT = 150
# Words that make the sentence's slot a description, not a name ("the Swede", "his club").
DESCRIBERS = frozenset("the a an his her their its this that these those our my your".split())
# Words between two names that make them two things, not one named twice.
CONJUNCTIONS = frozenset("and or nor v vs versus against".split())


def _cased(text: str, n: int) -> list[str]:
    words = _TOKEN.findall(fold(text))
    return words if len(words) == n else []


def _name_tok(tok: str, st: str, cased: list[str], i: int, source, idf: dict, lex) -> bool:
    """A name word: in cased text, written capitalised here and by the article in mid-sentence
    (only ever so for the article's own words: ``source.capitalised``); in lower-cased text,
    a name by the lexicon (lex.entity) or a word the article writes only capitalised."""
    if not is_content(tok) or tok[:1].isdigit():
        return False
    if cased:
        return cased[i][:1].isupper() and st in source.capitalised
    return st in source.capitalised or (lex is not None and lex.entity(tok, st, idf))


def _contiguous(pairs) -> bool:
    return all(b[0] - a[0] == 1 and b[1] - a[1] == 1 for a, b in zip(pairs, pairs[1:]))


def _near(source, xs: set, ys: set) -> bool:
    """Whether a sentence of the article writes a stem of ``xs`` within APPOS tokens of one of
    ``ys``, with no conjunction between ("Raymond and Melissa Brittle" are two people)."""
    post = source.postings
    sents = set()
    for s in xs:
        sents.update(post.get(s, ()))
    both = sents & {k for s in ys for k in post.get(s, ())}
    for k in both:
        st = source.sentences[k].stems
        px = [p for p, s in enumerate(st) if s in xs]
        py = [p for p, s in enumerate(st) if s in ys]
        toks = source.sentences[k].toks
        if any(abs(a - b) <= APPOS and not CONJUNCTIONS.intersection(toks[min(a, b) + 1:max(a, b)])
               for a in px for b in py):
            return True
    return False


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


def _alias(xt: list[str], xs: list[str], yt: list[str], ys: list[str], source) -> bool:
    if set(xs) & set(ys):
        return True
    if any(len(w) > 1 and w in (_initials(yt), _initials(xt)) for w in xt + yt):
        return True
    if any(a[:5] == b[:5] and min(len(a), len(b)) > 5 for a in xt for b in yt):   # "Argentine" / "Argentina"
        return True
    return _near(source, set(xs), set(ys))


def _x_elsewhere(source, stems: list[str], xi: list[int], context: list[int], k: int, pairs) -> bool:
    """Whether the article could back X in this stretch after all: X is in the sentence ``k``
    itself (where the line does not write it elsewhere: "Busch ... by a [Busch] County"), or the
    article writes X beside the line's neighbouring words, or a sentence that mentions X holds
    OTHER_SHARE of the stretch's content words."""
    xs = {stems[i] for i in xi}
    sent = source.sentences[k]
    taken = {j for _, j in pairs}
    if any(s in xs and j not in taken for j, s in enumerate(sent.stems)):
        return True
    for i in (xi[0] - 1, xi[-1] + 1):
        if 0 <= i < len(stems):
            pair = (stems[i], stems[xi[0]]) if i < xi[0] else (stems[xi[-1]], stems[i])
            if pair in source.bigrams:
                return True
    want = {stems[i] for i in context}
    if not want:
        return False
    for s in xs:
        for q in source.postings.get(s, ()):
            if q != k and len(want & source.sentences[q].content) >= OTHER_SHARE * len(want):
                return True
    return False


def swapped_names(source, line, support, idf: dict | None = None, lex=None) -> list[tuple[int, int]]:
    """(first, last) line token indices of each name the line puts where an article sentence
    it copies has another name (see the module's doc); [] for most lines.

    ``line``: a claims.Line, ``support``: its aligned sentence indices, best first."""
    return [x for x, _, _ in swaps(source, line, support, idf, lex)]


def swaps(source, line, support, idf: dict | None = None, lex=None) -> list[tuple]:
    """((first, last) line tokens of X, sentence index, (first, last) sentence tokens of Y) of
    each swap :func:`swapped_names` finds."""
    idf = idf or {}
    toks, stems = line.toks, line.stems
    n = len(toks)
    if not n or n > MAX_LINE:
        return []
    lcased = _cased(line.text, n)
    if not lcased and any(ch.isupper() for ch in line.text):
        return []
    out: list[tuple] = []
    for k in candidates(source, line, support):
        sent = source.sentences[k]
        m = min(len(sent.toks), MAX_SENT)
        sstems = sent.stems[:m]
        scased = _cased(source.text[sent.start:sent.end], len(sent.toks)) if lcased else []
        if lcased and not scased:
            continue
        pairs = lcs_pairs(stems, sstems)
        if len(pairs) < 2:
            continue
        aligned = {i for i, _ in pairs}
        slots = []   # (line slot [a, b), sentence slot [c, d), context pairs)
        for p in range(len(pairs) - 1):
            (i1, j1), (i2, j2) = pairs[p], pairs[p + 1]
            if 0 < i2 - i1 - 1 <= SLOT and 0 < j2 - j1 - 1 <= SLOT:
                before, after = pairs[max(0, p - CONTEXT + 1):p + 1], pairs[p + 1:p + 1 + CONTEXT]
                if not (_contiguous(before) and _contiguous(after)):
                    continue
                # a side that runs to the line's edge may be shorter, the other then holds EDGE_CONTEXT
                if len(before) < CONTEXT and not (before[0][0] == 0 and _contiguous(
                        after := pairs[p + 1:p + 1 + EDGE_CONTEXT]) and len(after) == EDGE_CONTEXT):
                    continue
                if len(after) < CONTEXT and not (after[-1][0] == n - 1 and _contiguous(
                        before := pairs[max(0, p - EDGE_CONTEXT + 1):p + 1]) and len(before) == EDGE_CONTEXT):
                    continue
                slots.append((i1 + 1, i2, j1 + 1, j2, before + after))
        i2, j2 = pairs[0]
        after = pairs[:EDGE_CONTEXT]
        if 0 < i2 <= SLOT and len(after) == EDGE_CONTEXT and _contiguous(after):
            c = j2
            while c > 0 and j2 - c < SLOT and _name_tok(sent.toks[c - 1], sstems[c - 1], scased, c - 1, source, idf, lex):
                c -= 1
            slots.append((0, i2, c, j2, after))
        i1, j1 = pairs[-1]
        before = pairs[-EDGE_CONTEXT:]
        if 0 < n - 1 - i1 <= SLOT and len(before) == EDGE_CONTEXT and _contiguous(before):
            d = j1 + 1
            while d < m and d - j1 - 1 < SLOT and _name_tok(sent.toks[d], sstems[d], scased, d, source, idf, lex):
                d += 1
            slots.append((i1 + 1, n, j1 + 1, d, before))
        for a, b, c, d, ctx in slots:
            if c >= d or sent.toks[c] in DESCRIBERS:
                continue
            xi = [i for i in range(a, b) if is_content(toks[i])]
            yj = [j for j in range(c, d) if is_content(sent.toks[j])]
            if not xi or not yj or len(xi) != b - a - sum(toks[i] == "s" for i in range(a, b)):
                continue
            if not all(_name_tok(toks[i], stems[i], lcased, i, source, idf, lex) for i in xi):
                continue
            if not all(_name_tok(sent.toks[j], sstems[j], scased, j, source, idf, lex) for j in yj):
                continue
            xt, xs = [toks[i] for i in xi], [stems[i] for i in xi]
            yt, ys = [sent.toks[j] for j in yj], [sstems[j] for j in yj]
            if not all(s in source.stems for s in xs) or any(
                    stems[i] in ys for i in range(n) if i not in aligned):   # Y retold elsewhere in the line
                continue
            context = [i for i, _ in ctx if is_content(toks[i])]
            if len(context) < MIN_CONTEXT_CONTENT or _alias(xt, xs, yt, ys, source):
                continue
            if _x_elsewhere(source, stems, xi, context, k, pairs):
                continue
            if all(x != (xi[0], xi[-1]) for x, _, _ in out):
                out.append(((xi[0], xi[-1]), k, (yj[0], yj[-1])))
    return out
