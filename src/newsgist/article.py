"""The Article: one object that carries a story from input to card.

Like spaCy's ``Doc``, it keeps the original text and describes everything else as
character spans into it. The cleaned ``body`` is the kept paragraphs joined by a
blank line; :meth:`Article.to_source` maps a body offset back to the input.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from newsgist.types import Entity, Figure, Highlight, Paragraph, Quote, Removed, Sentence, highlight_dict, to_dict

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Article:
    source: str                                   # the decoded input: every span points here
    kind: str = "text"                            # "text" | "html" | "url"
    name: str | None = None
    meta: dict = field(default_factory=dict)      # title, author, url, ... (from HTML), method, timings
    page_highlights: list[str] = field(default_factory=list)
    dateline: dict | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[Figure] = field(default_factory=list)   # date expressions, kept apart from figures
    groups: list[dict] = field(default_factory=list)    # figures that count the same thing (card/groups.py)
    source_headings: list[str] | None = None     # subheads known from HTML markup (None for plain text)
    doc: object = None                            # the spaCy Doc of ``body`` when the card needs it
    _body: str | None = field(default=None, repr=False)
    _body_starts: list[int] = field(default_factory=list, repr=False)
    _para_starts: list[int] = field(default_factory=list, repr=False)

    # --- the cleaned body and the offset map -------------------------------------------
    def _build_body(self) -> None:
        parts, starts, pos = [], [], 0
        for p in self.paragraphs:
            starts.append(pos)
            piece = self.source[p.start:p.end]
            parts.append(piece)
            pos += len(piece) + len(PARAGRAPH_SEPARATOR)
        self._body = PARAGRAPH_SEPARATOR.join(parts)
        self._body_starts = starts
        self._para_starts = [p.start for p in self.paragraphs]

    @property
    def body(self) -> str:
        if self._body is None:
            self._build_body()
        return self._body

    def invalidate_body(self) -> None:
        self._body = None

    def to_source(self, offset: int) -> int:
        """Map an offset into ``body`` to the same character in ``source``."""
        if self._body is None:
            self._build_body()
        if not self.paragraphs:
            return 0
        i = max(0, bisect.bisect_right(self._body_starts, offset) - 1)
        p = self.paragraphs[i]
        return min(p.start + (offset - self._body_starts[i]), p.end)

    def to_body(self, offset: int) -> int:
        """Map an offset into ``source`` (inside a kept paragraph) to ``body``."""
        if self._body is None:
            self._build_body()
        # paragraphs are in source order and do not overlap: bisect, not a scan (a scan
        # made body_sentences quadratic on texts of many paragraphs, issue 17)
        i = bisect.bisect_right(self._para_starts, offset) - 1
        for j in (i - 1, i):  # an offset at a paragraph's end may equal the next one's start: the first wins
            if 0 <= j < len(self.paragraphs) and self.paragraphs[j].start <= offset <= self.paragraphs[j].end:
                return self._body_starts[j] + offset - self.paragraphs[j].start
        raise ValueError(f"offset {offset} is not inside the cleaned body")

    def limit_hit(self, stage: str, limit: str, detail: str) -> None:
        """Record in ``meta.limits_hit`` that ``stage`` capped its work at the named
        ``limit`` (a pathological structure: a huge sentence, thousands of quotation
        marks); the body is never cut, only that stage's analysis of it (SCHEMA.md)."""
        hits = self.meta.setdefault("limits_hit", [])
        entry = {"stage": stage, "limit": limit, "detail": detail}
        if entry not in hits:
            hits.append(entry)

    def body_sentences(self) -> list[Sentence]:
        """The sentences as spans into ``body`` (for the NLP stages)."""
        return [Sentence(self.to_body(s.start), self.to_body(s.end), s.paragraph) for s in self.sentences]

    def body_paragraphs(self) -> list[Paragraph]:
        if self._body is None:
            self._build_body()
        return [Paragraph(b, b + p.end - p.start, p.kind) for b, p in zip(self._body_starts, self.paragraphs)]

    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.source[s.start:s.end]

    @property
    def headings(self) -> list[str]:
        return [self.source[p.start:p.end] for p in self.paragraphs if p.kind == "heading"]

    # --- output ------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The card as plain JSON-able data (the documented schema, see SCHEMA.md)."""
        return {
            "highlights": [highlight_dict(h) for h in self.highlights],
            "page_highlights": list(self.page_highlights),
            "dateline": self.dateline,
            "headings": self.headings,
            "quotes": [to_dict(q) for q in self.quotes],
            "entities": [to_dict(e) for e in self.entities],
            "figures": [to_dict(f) for f in self.figures],
            "dates": [to_dict(f) for f in self.dates],
            "groups": [dict(g) for g in self.groups],
            "removed": [to_dict(r) for r in self.removed],
            "body": {
                "text": self.body,
                "paragraphs": [{"start": p.start, "end": p.end, "kind": p.kind} for p in self.paragraphs],
                "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            },
            "meta": dict(self.meta),
        }
