"""A clause the article does not hold, added at the end of a line (issue 26, session 5c).

A summariser that adds a fact usually tacks it on: "..., and offered a refund", "...,
according to NATO chief Jens Stoltenberg". The line model sees the new words as counts and
forgives a few (a paraphrase has new words too). :func:`added_tail` finds the plain case: the
line's last :data:`MIN_RUN` or more content words are all words the article never uses, and
a clause break (a comma, "and", "while"...) sets them apart from the rest of the line, whose
last content word the article has. With :data:`HARD` on, such a tail is a hard ``other``
piece (check.hard_pieces); it is off: faithful LLM lines end in evaluative tails too.
"""
from __future__ import annotations

from newsgist.grounding.claims import is_content

# Content words at the end of the line, none of them in the article: at least this many.
# Chosen on sumllm-train articles 200-399 (accepted GPT-4 / gpt3 sentences and corrupt.py's
# "added" lines): with a clause break required, 2 rejects 0 GPT-4 and 1 gpt3 sentence of
# ~600 each ("..., from various retailers") and catches 18 / 24 more added clauses (cased /
# lower-cased); 3 rejects none and catches 10 / 16. Without the break, 2 rejects 4 GPT-4
# sentences ("... to secure victory").
MIN_RUN = 2
# Whether the tail is a hard piece of check.line_evidence: off. On sumllm-train 400-999 it
# rejects 8 of 1,799 gpt3 and 4 of 1,802 GPT-4 sentences the shipped checker accepts (evaluative
# tails: "..., making her achievement even more impressive"), more than the 0.003 the ship rule
# allows (BENCHMARKS.md, issue 26 session 5c); corrupt.py's added clauses caught 0.26 -> 0.69.
HARD = False
# What opens a new clause between the backed part of the line and its new tail.
BREAKS = frozenset("and while but with as which who whose where when after before including".split())
BREAK_MARKS = (",", ";", ":", " - ", "(")


def added_tail(text: str, toks: list[str], stems: list[str], spans, article_stems) -> tuple[int, int] | None:
    """(first, last) token index of the line's added tail, or None.

    ``toks`` / ``stems``: the line's word tokens and stems (claims.Line), ``spans``: their
    (token, start, end) spans in ``text`` (claims.token_spans), ``article_stems``: every stem
    of the article."""
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
    return first, last
