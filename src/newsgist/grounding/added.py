"""A clause the article does not hold, added at the end of a line (issue 26, session 5c).

A summariser that adds a fact usually tacks it on: "..., and offered a refund", "...,
according to NATO chief Jens Stoltenberg". The line model sees the new words as counts and
forgives a few (a paraphrase has new words too). :func:`added_tail` finds the plain case: the
line's last :data:`MIN_RUN` or more content words are all words the article never uses, and
a clause break (a comma, "and", "while"...) sets them apart from the rest of the line, whose
last content word the article has. Faithful LLM lines end in such tails too, but theirs are
comments ("..., making her achievement even more impressive"); an added fact holds something
a reader could check: a number, a name, a role. :func:`checkable` keeps a tail only when one
of its new words is such a piece (round 4). With :data:`HARD` on (it is off), a kept tail is
a hard ``other`` piece (check.hard_pieces).
"""
from __future__ import annotations

from newsgist.grounding.claims import NUMBER_WORDS, is_content
from newsgist.grounding.tight import RARE_IDF

# Content words at the end of the line, none of them in the article: at least this many.
# Chosen on sumllm-train articles 200-399 (accepted GPT-4 / gpt3 sentences and corrupt.py's
# "added" lines): with a clause break required, 2 rejects 0 GPT-4 and 1 gpt3 sentence of
# ~600 each ("..., from various retailers") and catches 18 / 24 more added clauses (cased /
# lower-cased); 3 rejects none and catches 10 / 16. Without the break, 2 rejects 4 GPT-4
# sentences ("... to secure victory").
MIN_RUN = 2
# Whether a checkable tail is a hard piece of check.line_evidence: off. The round-1 tail (any
# new words) rejected 4 of 1,802 GPT-4 and 8 of 1,799 gpt3 sentences on sumllm-train 400-999
# (evaluative tails); the checkable tail (round 4) rejects none there nor on 200-399 or 0-199,
# but on 200-399 it lifted corrupt.py's cased added clauses by +0.055 only, short of the +0.10
# registered before the run (corrupt.py's tails are random slices of another line, mostly
# without a number, name or role), so by that rule it stays off (BENCHMARKS.md, issue 26
# session 5c, round 4).
HARD = False
# What opens a new clause between the backed part of the line and its new tail.
BREAKS = frozenset("and while but with as which who whose where when after before including".split())
BREAK_MARKS = (",", ";", ":", " - ", "(")
# Cardinal number words (digits count too); ordinals ("the first time") and "one" (a pronoun
# as often) are left out: commentary uses them.
CARDINALS = frozenset(w for w, v in NUMBER_WORDS.items()
                      if w not in ("one", "first", "second", "third", "fourth", "fifth", "sixth",
                                   "seventh", "eighth", "ninth", "tenth"))
# Nouns for a role or an office: a new one in the tail says who did or said something.
# Written for round 4 (issue 26 session 5c) before its results, not tuned.
ROLES = frozenset("""minister president chief general official officials spokesman spokeswoman spokesperson
police officer officers commander leader director secretary governor mayor senator congressman judge
prosecutor lawyer attorney ambassador envoy chairman ceo executive manager coach captain head boss
king queen prince princess pope bishop troops soldiers army militants fighters rebels agency
ministry department commission council court embassy""".split())
# A tail that opens with one of these comments on the line ("..., highlighting the ...",
# "..., making her win even more impressive"): only a number or a name makes it checkable.
COMMENTARY = frozenset("""highlighting underscoring underlining emphasizing emphasising showcasing
demonstrating reflecting illustrating making marking signaling signalling showing proving adding
raising leaving reminding symbolizing symbolising suggesting indicating reinforcing cementing
solidifying testament""".split())
# In a line with no capital letter (lower-cased, tokenised text) a name cannot be told by its
# case: a new tail word as rare as tight.RARE_IDF (the speaker piece's test) stands in for one.


def checkable(text: str, toks: list[str], stems: list[str], spans, first: int, last: int,
              start: int, idf: dict | None = None) -> bool:
    """Whether the tail's new words ``toks[first:last + 1]`` hold a piece a reader could check
    against the article: a number, a name (a capitalised word in a cased line; a rare word in
    a line with no capitals), a role noun; ``start``: the first token after the backed part.
    A commentary tail (:data:`COMMENTARY` between ``start`` and ``last``) needs a number or a
    capitalised name."""
    cased = any(ch.isupper() for ch in text)   # lower-cased, tokenised text has no capital at all
    comment = any(t in COMMENTARY for t in toks[start:last + 1])
    for i in range(first, last + 1):
        t = toks[i]
        if not is_content(t):
            continue
        if any(ch.isdigit() for ch in t) or t in CARDINALS:
            return True
        if cased and i > 0 and text[spans[i][1]:spans[i][1] + 1].isupper():
            return True
        if comment:
            continue
        if not cased and idf is not None and idf.get(stems[i], 99.0) >= RARE_IDF:
            return True
        if t in ROLES:
            return True
    return False


def added_tail(text: str, toks: list[str], stems: list[str], spans, article_stems,
               idf: dict | None = None) -> tuple[int, int] | None:
    """(first, last) token index of the line's added tail, or None.

    ``toks`` / ``stems``: the line's word tokens and stems (claims.Line), ``spans``: their
    (token, start, end) spans in ``text`` (claims.token_spans), ``article_stems``: every stem
    of the article, ``idf``: stem -> inverse document frequency (the line model's). Only a
    :func:`checkable` tail is returned."""
    content = [i for i, t in enumerate(toks) if is_content(t)]
    run: list[int] = []
    for i in reversed(content):
        if stems[i] in article_stems:
            break
        run.append(i)
    if len(run) < MIN_RUN or len(run) == len(content) or len(spans) != len(toks):
        return None
    first, last = run[-1], run[0]
    backed = max(i for i in content if i < first)
    between = toks[backed + 1:first]
    gap = text[spans[backed][2]:spans[first][1]]
    if not (any(t in BREAKS for t in between) or any(m in gap for m in BREAK_MARKS)):
        return None
    if not checkable(text, toks, stems, spans, first, last, backed + 1, idf):
        return None
    return first, last


# The words an attribution names as its source, for the hard ``speaker`` piece (an added
# "..., according to NATO chief Jens Stoltenberg"): at most SPEAKER_WORDS content words right
# after "according to" (an article skipped) or right before / after a saying verb, never across
# a clause mark; a line whose attribution is "according to the harbour board" names no words
# before it (the lead's review, session 5: the looser evidence._speaker, which falls back to the
# words before "according to", took "seaward tip" of "...its seaward tip, according to the
# harbour board" for a speaker). Three words hold "NATO chief Stoltenberg"; not tuned.
SPEAKER_WORDS = 3
ARTICLES = frozenset(("the", "a", "an"))
SAYING = frozenset("say says said tell tells told claim claims claimed insisted warned".split())


def _clause_mark(text: str, spans, i: int, j: int) -> bool:
    """Whether the text between tokens ``i`` and ``j`` (adjacent) holds a clause mark."""
    gap = text[spans[min(i, j)][2]:spans[max(i, j)][1]]
    return any(m in gap for m in BREAK_MARKS) or "\u2014" in gap or "\u2013" in gap


def attribution(text: str, toks: list[str], spans) -> list[int]:
    """Token indices of the source an attribution of the line names ([] when it names none):
    the content words right after "according to", or right before a saying verb (right after
    it when nothing stands before it in its clause: "..., said NATO chief Jens Stoltenberg")."""
    n = min(len(toks), len(spans))

    def run(j: int, step: int) -> list[int]:
        out: list[int] = []
        while 0 <= j < n and len(out) < SPEAKER_WORDS and is_content(toks[j]):
            if out and _clause_mark(text, spans, out[-1], j):
                break
            out.append(j)
            j += step
        return sorted(out)

    for i in range(n):
        t = toks[i]
        if t == "according" and i + 1 < n and toks[i + 1] == "to":
            j = i + 2
            while j < n and toks[j] in ARTICLES:
                j += 1
            if j < n and not _clause_mark(text, spans, j - 1, j):
                return run(j, 1)
            return []
        if t in SAYING:
            before = run(i - 1, -1) if i > 0 and not _clause_mark(text, spans, i - 1, i) else []
            if before:
                return before
            if i + 1 < n and not _clause_mark(text, spans, i, i + 1):
                return run(i + 1, 1)
            return []
    return []
