"""A hard-wrapped paragraph read as one paragraph by the card: issue 31, session 14's candidate S.

A hard-wrapped paste (an e-mail wrapped at 72 columns, RFC-style text, a page whose HTML source is
laid out as pre-formatted text) breaks each paragraph into physical lines. :func:`newsgist.reading.clean.clean`
makes each kept line a paragraph and :mod:`newsgist.reading.segment` never crosses a paragraph, so
without S every stage after the cleaner (sentences, highlights, quotes, compression) reads line
fragments ("The city of Port Aldine will close its century-old harbour bridge for").

**S (session 14's registration, BENCHMARKS.md "Merge of wave three, session 14").** After ``clean``
has classified the lines, two consecutive kept prose paragraphs (kind "paragraph"; headings never)
merge into one when nothing but whitespace and exactly one newline lies between them and their two
physical lines are a **W join**: a fill pair inside a wrapped run on an input that W reads wrapped
(:func:`newsgist.reading.pagewrap.w_joins`: W's width rule with its shipped constants and its
page-level ``WRAP_MIN_PAIRS``), computed on the input's raw lines whether or not the page model reads
the input. The merged paragraph runs from the first's start to the last's end, so its text is
``input[start:end]`` with the soft breaks (newline, indentation) inside; sentences may then cross
them (the segmenter's boundary reads ``\\s+``). A paragraph cut by removed text (a Daily Mail piece
cut inline, a line the page model removed between two kept lines) does not end at its line's end, or
the next does not start at its line's start: no merge across removed text. Which lines are kept,
their reasons and the page model are unchanged. No parameter: W's constants as shipped. Linear.
"""
from __future__ import annotations

from newsgist.types import Paragraph

# The switch. False: every kept line is its own paragraph (the product before S, byte for byte).
SOFT_WRAP = True


def _may_join(text: str, a: Paragraph, b: Paragraph) -> bool:
    """Could ``a`` then ``b`` merge at all (both prose, only whitespace and one newline between)?"""
    return (a.kind == "paragraph" and b.kind == "paragraph" and b.start > a.end
            and text[a.end:b.start].isspace() and text.count("\n", a.end, b.start) == 1)


def join_soft_breaks(text: str, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """``paragraphs`` (``clean``'s, in input order) with each run of W-joined prose paragraphs merged
    into one (module docstring); the same list when ``SOFT_WRAP`` is off or nothing merges. W's joins
    are computed once, and only when two paragraphs could merge at all (a one-line article never
    reads its lines twice)."""
    if not SOFT_WRAP or not any(_may_join(text, a, b) for a, b in zip(paragraphs, paragraphs[1:])):
        return paragraphs
    from newsgist.reading.pagelines import page_lines
    from newsgist.reading.pagewrap import w_joins
    lines = page_lines(text)
    # a W join (i, i + 1) as {line i's stripped end: line i + 1's stripped start}
    soft = {lines[i][1]: lines[i + 1][0] for i in w_joins(text, lines)}
    if not soft:
        return paragraphs
    out = [paragraphs[0]]
    for p in paragraphs[1:]:
        q = out[-1]
        if soft.get(q.end) == p.start and _may_join(text, q, p):
            out[-1] = Paragraph(q.start, p.end, "paragraph")
        else:
            out.append(p)
    return out
