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

**S2 (session 14's second registration, gated in S's place).** A line that is either line of a W join
is never taken for a headline-shaped line by ``clean`` (no "title", "related-link" or heading by its
shape: a wrapped line that starts with a capital and has no final stop is a piece of a paragraph); it
goes on as prose, so S can merge it. Pasted text only: input structured by HTML markup is untouched.
"""
from __future__ import annotations

from newsgist.types import Paragraph

# The switch. False: every kept line is its own paragraph (the product before S, byte for byte).
SOFT_WRAP = True


def _may_join(text: str, a: Paragraph, b: Paragraph) -> bool:
    """Could ``a`` then ``b`` merge at all (both prose, only whitespace and one newline between)?"""
    return (a.kind == "paragraph" and b.kind == "paragraph" and b.start > a.end
            and text[a.end:b.start].isspace() and text.count("\n", a.end, b.start) == 1)


class SoftJoins:
    """W's joins of one input, computed once (:func:`soft_joins`): ``breaks`` maps a joined line's
    stripped end to the next line's stripped start (S merges there), ``lines`` holds the stripped
    starts of every line in a join (S2: never read as headline-shaped)."""
    __slots__ = ("breaks", "lines")

    def __init__(self, breaks: dict[int, int] | None = None, lines: frozenset[int] = frozenset()):
        self.breaks = breaks or {}
        self.lines = lines


NONE = SoftJoins()


def soft_joins(text: str) -> SoftJoins:
    """W's joins of ``text`` (:func:`newsgist.reading.pagewrap.w_joins`, on its raw lines; linear), or
    :data:`NONE` when ``SOFT_WRAP`` is off or the text has no two adjacent lines at all (a one-line
    article is not read twice)."""
    if not SOFT_WRAP or "\n" not in text.strip():
        return NONE
    from newsgist.reading.pagelines import page_lines
    from newsgist.reading.pagewrap import w_joins
    lines = page_lines(text)
    joins = w_joins(text, lines)
    if not joins:
        return NONE
    return SoftJoins({lines[i][1]: lines[i + 1][0] for i in joins},
                     frozenset(lines[k][0] for i in joins for k in (i, i + 1)))


def join_soft_breaks(text: str, paragraphs: list[Paragraph], soft: SoftJoins | None = None) -> list[Paragraph]:
    """``paragraphs`` (``clean``'s, in input order) with each run of W-joined prose paragraphs merged
    into one (module docstring); the same list when ``SOFT_WRAP`` is off or nothing merges. ``soft``:
    the input's joins when the caller has them (:func:`soft_joins`), else computed here, and only when
    two paragraphs could merge at all."""
    if not SOFT_WRAP or not any(_may_join(text, a, b) for a, b in zip(paragraphs, paragraphs[1:])):
        return paragraphs
    breaks = (soft if soft is not None else soft_joins(text)).breaks
    if not breaks:
        return paragraphs
    out = [paragraphs[0]]
    for p in paragraphs[1:]:
        q = out[-1]
        if breaks.get(q.end) == p.start and _may_join(text, q, p):
            out[-1] = Paragraph(q.start, p.end, "paragraph")
        else:
            out.append(p)
    return out
