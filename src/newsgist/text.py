"""Small, fast text helpers shared by the scorers and selection (no spaCy)."""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][a-z]+)?")

# English function words: they carry no topic. A short list, written for this project.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves said says say told tell according mr mrs ms one two
would could may might must shall s t don didn doesn isn wasn weren won wouldn can't it's also just
""".split())


_SPACE_RUN = re.compile(r"\s+")


def soft_breaks_as_spaces(text):
    """``text`` with each whitespace run holding exactly one newline (a soft break inside a hard-wrapped
    paragraph read as one, :mod:`newsgist.reading.softwrap`) as one space, or as nothing at the label's
    start or end (a label cut from the parse may begin with the soft break's whitespace token: "the\\n
    authority's deputy director" without its article); other runs (a paragraph break's two newlines,
    double spaces) kept. For the card's labels (an entity's name, a speaker, what a figure counts), not
    for a span's text (``input[start:end]``). None and text without a newline are returned as they are.
    Linear (one greedy ``\\s+`` a run)."""
    if not text or "\n" not in text:
        return text
    end = len(text)
    return _SPACE_RUN.sub(lambda m: m.group() if m.group().count("\n") != 1
                          else "" if m.start() == 0 or m.end() == end else " ", text)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper (plural, -ing, -ed), enough to match 'attacks'/'attacked'."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf, minlen in (("ies", 5), ("ing", 6), ("ed", 5), ("es", 5), ("s", 4)):
        if w.endswith(suf) and len(w) >= minlen:
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def content_terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words of ``text``."""
    return [stem(w) for w in words(text) if w.lower() not in STOPWORDS and len(w) > 1]


def trigrams(text: str) -> set[tuple[str, str, str]]:
    ws = [w.lower() for w in words(text)]
    return {tuple(ws[i:i + 3]) for i in range(len(ws) - 2)}


def stripped_lines(text: str):
    """Yield ``(start, end, block)`` for each non-blank line of ``text``, its surrounding
    whitespace left out of the span; ``block`` counts the blank lines seen so far, so two
    lines are in one block when it is the same."""
    block, pos = 0, 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            block += 1
            continue
        yield s, e, block
