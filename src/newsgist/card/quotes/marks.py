"""Quotation marks: pairing them into quote spans, paragraph by paragraph.

Step 1 of :func:`newsgist.card.quotes.extract.extract_quotes` (its docstring tells the
rules). :func:`find_quote_spans` reads each mark by its context (curly, straight and
doubled marks; apostrophes and elisions are no marks), pairs them, carries a double
quote left open over a paragraph break when the next paragraph reopens it, and caps an
unclosed quote; :func:`headline_like` tells the paragraphs whose quotes are not speech
(headings, short lines without a final stop). A :class:`QuoteSpan` holds the content
pieces between the marks; :class:`_Sentences` looks sentences up by position.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newsgist.types import Paragraph

# --- quotation marks -----------------------------------------------------------------
_MARK = re.compile(r"``|''|[“”„«»\"‘’‚'`]")
DOUBLE_NOMINAL = {"“": "open", "„": "open", "«": "open", "``": "open",
                  "”": "close", "»": "close", "''": "close", '"': None}
SINGLE_NOMINAL = {"‘": "open", "‚": "open", "`": "open", "’": "close", "'": None}
# Characters after which a mark opens / before which a mark closes (besides spaces).
OPEN_CONTEXT = "([{—–-/“‘„«\"'"
CLOSE_CONTEXT = ".,;:!?)]}—–-…”’»\"'"
# A single mark before these is an elision, not a quote: 'em, 'til, 'n', '90s.
_ELISION = re.compile(r"(?:em|til|tis|twas|cause|bout|n|\d0s|\d\ds?)\b", re.I)
# Stops before a single closing mark, or punctuation right after it, make it a sure close.
_STRONG_BEFORE, _STRONG_AFTER = ".,!?;:", ",.;:!?)"
# A paragraph that continues an open quote starts with one of these.
_REOPEN = re.compile(r"\s*(?:[“„«\"]|``)")

# --- limits ----------------------------------------------------------------------------
MAX_UNCLOSED_SENTENCES = 3      # an unclosed quote opening a sentence runs at most this far
HEADLINE_MAX_WORDS = 20         # a line without final stop and this short is a headline
MAX_CONTINUED_SENTENCES = 8     # sentences of an unclosed quote that a reopening mark continues
_SIGNED_QUOTE = re.compile(r"[.!?…][”\"][ \t\xa0]*[―—–]+[ \t\xa0]*[A-Z][^\n]*$")  # '...us.” ― Carlos Ruiz'
_STOPS = re.compile(r"[.!?…]['\"”’]?\s+")
_TERMINAL = re.compile(r"[.!?…:]['\"”’)\]]*\s*$")
_FALLBACK_SENT = re.compile(r"[^.!?]+(?:[.!?]+['\"”’]*|$)")


@dataclass
class _Mark:
    pos: int
    end: int
    family: str          # "d" double | "s" single
    dir: str | None      # "open" | "close" | None (undecided)


@dataclass
class _Open:
    open_pos: int
    seg_start: int
    pieces: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class QuoteSpan:
    """A paired (or capped) quotation: content pieces between the marks."""
    open_pos: int
    close_end: int
    pieces: list[tuple[int, int]]
    closed: bool

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    out = []
    for m in _MARK.finditer(text, start, end):
        s, e, ch = m.start(), m.end(), m.group()
        prev = text[s - 1] if s > start else " "
        nxt = text[e] if e < end else " "
        if ch in DOUBLE_NOMINAL:
            family, nominal = "d", DOUBLE_NOMINAL[ch]
        else:
            if prev.isalnum() and nxt.isalnum():
                continue  # an apostrophe: There’s, al Qaeda’s
            family, nominal = "s", SINGLE_NOMINAL[ch]
        left = prev.isspace() or prev in OPEN_CONTEXT
        right = nxt.isspace() or nxt in CLOSE_CONTEXT
        direction = "open" if left and not right else "close" if right and not left else nominal
        if family == "s" and direction == "open" and _ELISION.match(text, e):
            continue
        out.append(_Mark(s, e, family, direction))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


class _Sentences:
    """Sentence spans sorted by start, with lookup by position."""

    def __init__(self, text, paragraphs, sentences, skip):
        spans = [(s.start, s.end, s.paragraph) for s in sentences]
        have = {s.paragraph for s in sentences}
        for pi, p in enumerate(paragraphs):  # paragraphs given without sentences
            if pi not in have and not skip[pi]:
                for m in _FALLBACK_SENT.finditer(text, p.start, p.end):
                    a, b = _trim(text, m.start(), m.end())
                    if b > a:
                        spans.append((a, b, pi))
        self.spans = sorted(spans)
        self.starts = [s[0] for s in self.spans]

    def index(self, pos: int) -> int | None:
        """Index of the sentence holding ``pos``, or None."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i if i >= 0 and pos < self.spans[i][1] else None


def headline_like(text: str, p: Paragraph) -> bool:
    """Headings and short lines without a final stop: their quotes are not speech."""
    if p.kind == "heading":
        return True
    line = text[p.start:p.end].strip()
    return len(line.split()) <= HEADLINE_MAX_WORDS and not _TERMINAL.search(line) \
        and not _SIGNED_QUOTE.search(line)


def find_quote_spans(text: str, paragraphs: list[Paragraph], skip: list[bool],
                     sents: _Sentences) -> list[QuoteSpan]:
    """Pair the quotation marks of all paragraphs (see the ``extract`` module docstring)."""
    spans: list[QuoteSpan] = []
    cur: _Open | None = None

    def cap(o: _Open, limit: int) -> None:
        end = limit
        if not o.pieces:
            si = sents.index(o.open_pos)
            if si is not None:
                s_start, s_end, para = sents.spans[si]
                if text[s_start:o.open_pos].strip():
                    end = min(limit, s_end)  # opened mid-sentence: ends with its sentence
                else:
                    last = min(si + MAX_UNCLOSED_SENTENCES - 1, len(sents.spans) - 1)
                    while sents.spans[last][2] != para:
                        last -= 1
                    end = min(limit, sents.spans[last][1])
        a, b = _trim(text, o.seg_start, max(o.seg_start, end))
        pieces = o.pieces + ([(a, b)] if b > a else [])
        if pieces:
            spans.append(QuoteSpan(o.open_pos, pieces[-1][1], pieces, False))

    def continues(o: _Open, m: _Mark) -> bool:
        """A mark reopening a direct quote after a stop, as where paragraph breaks were lost:
        ``said: "One. Two. "Three."`` is one quote."""
        inner = text[o.seg_start:m.pos]
        si = sents.index(o.open_pos)
        pre = text[sents.spans[si][0]:o.open_pos].strip() if si is not None else "x"
        return bool(re.search(r"[.!?…]\s*$", inner)) and (not pre or pre[-1] in ":,") \
            and len(_STOPS.findall(inner)) < MAX_CONTINUED_SENTENCES

    for pi, p in enumerate(paragraphs):
        if skip[pi]:
            if cur is not None:
                cap(cur, cur.pieces[-1][1] if cur.pieces else cur.seg_start)
            cur = None
            continue
        marks = _marks(text, p.start, p.end)
        k = 0
        if cur is not None:  # a quote carried over from the previous paragraph
            if marks and marks[0].family == "d" and marks[0].dir != "close" \
                    and not text[p.start:marks[0].pos].strip():
                cur.seg_start, k = marks[0].end, 1
            else:
                cap(cur, cur.pieces[-1][1])
                cur = None
        while k < len(marks):
            m = marks[k]
            if m.family == "d":
                if cur is None:
                    if m.dir != "close":  # a stray closing mark is ignored
                        cur = _Open(m.pos, m.end)
                elif m.dir == "open" and continues(cur, m):
                    a, b = _trim(text, cur.seg_start, m.pos)
                    cur.pieces.append((a, b))
                    cur.seg_start = m.end
                elif m.dir == "open":
                    cap(cur, m.pos)
                    cur = _Open(m.pos, m.end)
                else:
                    a, b = _trim(text, cur.seg_start, m.pos)
                    pieces = cur.pieces + ([(a, b)] if b > a else [])
                    if pieces:
                        spans.append(QuoteSpan(cur.open_pos, m.end, pieces, True))
                    cur = None
            elif cur is None and m.dir == "open":
                c = _single_closer(text, marks, k)
                if c is not None:
                    a, b = _trim(text, m.end, marks[c].pos)
                    if b > a:
                        spans.append(QuoteSpan(m.pos, marks[c].end, [(a, b)], True))
                    k = c
            k += 1
        if cur is not None:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is not None and not skip[pi + 1] and _REOPEN.match(text, nxt.start, nxt.end):
                a, b = _trim(text, cur.seg_start, p.end)
                if b > a:
                    cur.pieces.append((a, b))
                    continue
            cap(cur, p.end)
            cur = None
    if cur is not None:
        cap(cur, cur.pieces[-1][1] if cur.pieces else len(text))
    return spans


def _single_closer(text: str, marks: list[_Mark], k: int) -> int | None:
    """Index of the mark closing the single quote opened by ``marks[k]``, or None.

    A close after a stop or before punctuation is sure; otherwise the first close not
    preceded by "s" (which may be a plural possessive, "players' union")."""
    weak = weak_s = None
    for n in range(k + 1, len(marks)):
        m = marks[n]
        if m.family == "d" or m.dir == "open":
            break
        prev, nxt = text[m.pos - 1], text[m.end] if m.end < len(text) else " "
        if prev in _STRONG_BEFORE or nxt in _STRONG_AFTER:
            return n
        if prev.lower() != "s":
            weak = n if weak is None else weak
        elif weak_s is None:
            weak_s = n
    return weak if weak is not None else weak_s
