"""Quotations in a news article, with their speakers.

:func:`extract_quotes` works in four steps:

1. **Pair the quotation marks** (:mod:`newsgist.card.quotes.marks`) paragraph by
   paragraph. Curly (“ ” ‘ ’), straight (" ') and doubled (`` '') marks are read by
   their context (space before and a word after opens; a word or stop before and a
   space or stop after closes), so a stray mark spoils only its own neighbourhood. An
   apostrophe between letters ("There’s", "al Qaeda’s") is never a mark; single marks
   only open at the top level, outside double quotes. A double quote left open at the
   end of a paragraph continues into the next paragraph when that one opens with a
   mark (the journalism convention); otherwise an unclosed quote is capped: at the end
   of its sentence when it opened mid-sentence, else at the next opening mark, the
   paragraph end or :data:`~newsgist.card.quotes.marks.MAX_UNCLOSED_SENTENCES`
   sentences, whichever is first. Headline-like paragraphs (headings, short lines
   without a final stop) are skipped.
2. **Classify** (:mod:`newsgist.card.quotes.direct`): ``direct`` when the quote is a
   sentence of its own (it starts its sentence, follows "X said:" / "X said,", or
   resumes after '“...,” X said, “'), else ``partial``.
3. **Attribute** (:mod:`newsgist.card.quotes.direct`, with the speakers of
   :mod:`newsgist.card.quotes.speakers`): the cue verb in the quote's
   sentence(s) that governs the quote in the parse, else the nearest one, and its
   subject; a direct quote without one inherits the speaker of the sentence before it
   (a quote or an attribution such as "He admitted ..."), within the paragraph or
   from the previous paragraph; a partial quote without a cue takes the subject of
   the verb that governs it. Partial quotes with no speaker are scare quotes and are
   dropped; direct quotes with no speaker are kept when at least
   :data:`~newsgist.card.quotes.direct.MIN_WORDS_UNATTRIBUTED` words long. A quote whose
   line ends with a dash and a name ('“...” ― Carlos Ruiz') is that person's, and direct.
4. **Indirect quotes** (:mod:`newsgist.card.quotes.indirect`): reported speech without marks —
   "X said (that) ...", "according to X, ...", "X told reporters ...", "X warned that
   ..." — as ``kind="indirect"``; the content is the cue's complement from the
   dependency parse, kept by a small learned filter. An indirect content may hold a
   partial quote (PolNeAR's "mixed" attribution); both are returned.

Offsets are into ``text``. For a quote running across paragraphs, ``start``/``end``
span all of it while ``text`` joins the pieces with a space, without the paragraph
break and the mark that reopens the quote; likewise an indirect quote with its
attribution inside ("The plan, she said, will fail") spans all of it while ``text``
leaves the attribution out. Otherwise ``text == source[start:end]``.
"""
from __future__ import annotations

from newsgist.card.quotes.direct import marked_quotes
from newsgist.types import Entity, Paragraph, Quote, Sentence


def extract_quotes(text: str, doc, paragraphs: list[Paragraph], sentences: list[Sentence],
                   entities: list[Entity] | None = None, indirect: bool = True,
                   soft_breaks: bool = False) -> list[Quote]:
    """Direct, partial and (with ``indirect``) indirect quotes of ``text`` with their
    speakers, in text order.

    ``doc`` is ``load_nlp()(text)`` (parsed here when None); ``paragraphs`` and
    ``sentences`` are spans into ``text``; ``entities`` (optional) map speaker
    mentions to canonical names and titles. Indirect quotes come from
    :mod:`newsgist.card.quotes.indirect`. ``soft_breaks``: a single newline inside a paragraph is a
    soft break, not a line break (the card's body, :func:`~newsgist.card.quotes.direct.marked_quotes`)."""
    quotes, speakers = marked_quotes(text, doc, paragraphs, sentences, entities, soft_breaks)
    if not indirect or speakers is None:
        return quotes
    from newsgist.card.quotes.indirect import indirect_quotes
    from newsgist.card.quotes.model import load_model
    quotes = quotes + indirect_quotes(speakers.doc, speakers, quotes, load_model())
    return sorted(quotes, key=lambda q: (q.start, -q.end))
