"""Plain data records of a story card.

Every record that points into text carries ``start``/``end`` character offsets.
Analysis modules (quotes, entities, figures) work on the *cleaned body* and return
body offsets; :mod:`newsgist.card.stage` maps them to offsets into the original input
before they reach the card, so ``input[start:end]`` is always the source text.
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any, Optional


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str = "paragraph"  # "paragraph" | "heading"


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int = 0  # index into the paragraph list


@dataclass
class Removed:
    text: str
    reason: str  # e.g. "page-highlights", "dateline", "related-link", "video-embed", "byline", "caption"
    start: int = -1
    end: int = -1


@dataclass
class Highlight:
    text: str
    start: int
    end: int
    score: float = 0.0
    sentence: int = -1  # index of the source sentence
    # set by the compress stage (--compress): the kept pieces of the source sentence,
    # whether anything was deleted and what kinds, and the faithfulness report (support + checks)
    spans: Optional[list[tuple[int, int]]] = None
    compressed: bool = False
    faithfulness: Optional[dict] = None
    deleted: list = field(default_factory=list)  # the kinds of what was cut ("attribution", "prep", ...)
    # set by the ground stage (every run): the checker's verdict on the line (newsgist.grounding)
    grounding: Optional[dict] = None  # {"score", "supported", "unsupported": [{text, kind}]}
    # "extractive" (a sentence of the article, or its compression) or "llm" (a line written by
    # the endpoint of --generator llm: start/end are then its best support sentence; newsgist.generation)
    generator: str = "extractive"


@dataclass
class Quote:
    text: str                       # the quoted words, without the quotation marks
    start: int                      # span of ``text``
    end: int
    speaker: Optional[str] = None   # resolved canonical name ("Masoom Stanikzai"), or the mention if unresolved
    speaker_mention: Optional[str] = None  # the speaker as written near the quote ("he", "Stanikzai")
    speaker_start: int = -1
    speaker_end: int = -1
    speaker_title: Optional[str] = None
    cue: Optional[str] = None       # the cue verb ("said", "told")
    kind: str = "direct"            # "direct" | "partial" | "indirect"
    within: Optional[int] = None    # a partial quote inside reported speech: the index of that "indirect" quote


@dataclass
class Entity:
    name: str                       # canonical (longest, most complete) name
    type: str                       # "PERSON" | "ORG" | "PLACE"
    variants: list[str] = field(default_factory=list)
    mentions: int = 0
    title: Optional[str] = None
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Figure:
    text: str                       # "50 to 100 members", "more than 150", "$1.2 million"
    start: int
    end: int
    value: Any = None               # float, or [low, high] for ranges
    unit: Optional[str] = None      # "USD", "%", "members", ...
    counts: Optional[str] = None    # what it counts ("members", "al Qaeda operatives")
    kind: str = "number"            # "number" | "money" | "percent" | "date" | "range" | ...
    # who states it (card/claims.py): {speaker, mention, start, end, quote, cue, via, via_start, via_end},
    # or None when the article says it in its own voice; what limits it: [{text, start, end, kind}]
    # (kind: time | scope | hedge | caveat); the id of the group of figures that count the same thing
    claimed_by: Optional[dict] = None
    qualifiers: list = field(default_factory=list)
    group: Optional[int] = None


def to_dict(obj) -> dict:
    return asdict(obj)


def highlight_dict(h: Highlight) -> dict:
    """The card's JSON for one highlight, with the compression fields when present."""
    d = {"text": h.text, "start": h.start, "end": h.end, "score": round(h.score, 4),
         "generator": getattr(h, "generator", "extractive")}
    spans = getattr(h, "spans", None)
    if spans is not None:
        d["spans"] = [{"start": a, "end": b} for a, b in spans]
        d["compressed"] = bool(getattr(h, "compressed", False))
    rep = getattr(h, "faithfulness", None)
    if spans is not None or rep:
        rep = rep or {}
        d["support"] = [{"start": a, "end": b} for a, b in rep.get("support", [])]
        d["checks"] = dict(rep.get("checks", {}))
    if spans is not None:
        d["deleted"] = list(getattr(h, "deleted", []))
    g = getattr(h, "grounding", None)
    if g:  # "score" stays the ranker's; the checker's score has its own name
        d["support_score"] = round(float(g["score"]), 4)
        d["supported"] = bool(g["supported"])
        d["unsupported"] = [dict(u) for u in g.get("unsupported", [])]
    return d
