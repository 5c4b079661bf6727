"""The story card: its records and their JSON (SCHEMA.md, "Story card")."""
from __future__ import annotations

from dataclasses import dataclass, field

from newsgist.types import highlight_dict


@dataclass
class StoryCard:
    reads: list                                   # load.Read: each article's card and what is known of it
    highlights: list[dict] = field(default_factory=list)
    shared: list[dict] = field(default_factory=list)
    additions: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def articles(self) -> list:
        """Each article's own card (an :class:`~newsgist.article.Article`), in story order."""
        return [r.article for r in self.reads]

    def article_text(self, i: int) -> str:
        """The input of article ``i``: every span of the story card with ``article == i`` points here."""
        return self.reads[i].article.source

    def to_dict(self) -> dict:
        arts = []
        for r in self.reads:
            d = dict(r.info)
            d["highlights"] = [highlight_dict(h) for h in r.article.highlights]
            d["chars"] = len(r.article.source)
            arts.append(d)
        return {"articles": arts, "highlights": [dict(h) for h in self.highlights],
                "shared": [dict(h) for h in self.shared], "additions": [dict(a) for a in self.additions],
                "disagreements": [dict(d) for d in self.disagreements], "quotes": [dict(q) for q in self.quotes],
                "entities": [dict(e) for e in self.entities], "timeline": [dict(t) for t in self.timeline],
                "meta": dict(self.meta)}
