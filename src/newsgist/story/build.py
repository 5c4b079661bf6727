"""``newsgist.story(articles, options)``: one story card from several articles.

Reads every article's card (:mod:`newsgist.story.load`), indexes their sentences
(:mod:`newsgist.story.index`), ranks and picks the story highlights
(:mod:`newsgist.story.rank`), finds disagreements (:mod:`newsgist.story.disagree`) and
merges quotes, entities and the timeline (:mod:`newsgist.story.merge`) into a
:class:`~newsgist.story.record.StoryCard`.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, fields

from newsgist.errors import OptionsError
from newsgist.options import Options

# Story highlights by default (the contract) and at most (a longer list is
# the story's summary: use ``words``).
DEFAULT_COUNT = 5
MAX_COUNT = 20
# Word budgets accepted by ``words`` (the benchmark's 250 sits well inside).
MAX_WORDS_BUDGET = 2000


@dataclass(frozen=True)
class StoryOptions:
    """The story's own options; ``card`` reads each article (an :class:`Options`)."""
    count: int = DEFAULT_COUNT          # story highlights
    words: int | None = None            # a word budget instead of a count (benchmarks)
    card: Options = field(default_factory=Options)
    highlights_only: bool = False       # read each article without the NLP parse (no quotes, entities, figures)

    def __post_init__(self):
        if isinstance(self.count, bool) or not isinstance(self.count, int) or not 1 <= self.count <= MAX_COUNT:
            raise OptionsError(f"count must be an integer from 1 to {MAX_COUNT}, got {self.count!r}")
        if self.words is not None and (isinstance(self.words, bool) or not isinstance(self.words, int)
                                       or not 1 <= self.words <= MAX_WORDS_BUDGET):
            raise OptionsError(f"words must be an integer from 1 to {MAX_WORDS_BUDGET}, got {self.words!r}")
        if not isinstance(self.highlights_only, bool):
            raise OptionsError("highlights_only must be true or false")
        if not isinstance(self.card, Options):
            raise OptionsError("card: an Options")

    @classmethod
    def of(cls, options=None, **kwargs) -> "StoryOptions":
        """From None, a StoryOptions, an Options (the card's), or a mapping (a request body):
        ``count`` and ``words`` are the story's, any other key an :class:`Options` field."""
        if isinstance(options, StoryOptions):
            return cls(**{**{f.name: getattr(options, f.name) for f in fields(cls)}, **kwargs}) if kwargs else options
        if isinstance(options, Options):
            return cls(card=options, **kwargs)
        if options is not None and not isinstance(options, dict):
            raise OptionsError("options: a StoryOptions, an Options or a mapping")
        data = {**(options or {}), **kwargs}
        own = {k: data.pop(k) for k in ("count", "words", "highlights_only") if k in data}
        card = data.pop("card", None)
        if isinstance(card, dict):
            data.update(card)
            card = None
        return cls(card=card if isinstance(card, Options) else Options.from_dict(data), **own)

    def to_dict(self) -> dict:
        return {"count": self.count, "words": self.words, "highlights_only": self.highlights_only,
                "card": asdict(self.card)}


def story(articles, options=None, *, read_one=None, **kwargs):
    """One story card from several articles (texts, HTML, URLs or ``{text, source, date}``
    mappings). Returns a :class:`~newsgist.story.record.StoryCard`; ``.to_dict()`` is its JSON
    (SCHEMA.md, "Story card"). Raises a typed error when no article is readable or the story is
    too large; each article that fails on its own is listed in ``meta.failed``."""
    from newsgist.story.disagree import figure_disagreements, speaker_disagreements
    from newsgist.story.index import FactIndex, units_of
    from newsgist.story.load import read_all
    from newsgist.story.merge import merge_entities, merge_quotes, timeline
    from newsgist.story.rank import eligible, fact_dict, select, shared_and_additions, story_scores
    from newsgist.story.record import StoryCard
    opts = StoryOptions.of(options, **kwargs)
    t0 = time.perf_counter()
    reads, meta = read_all(articles, opts.card, read_one=read_one, highlights_only=opts.highlights_only)
    t1 = time.perf_counter()
    index = FactIndex(units_of(reads), len(reads))
    index.match_all()
    scores = story_scores(index, reads, summary=opts.words is not None)   # learned for a word budget
    ok = eligible(index, reads)
    if opts.words is not None:
        picks = select(index, scores, ok, words=opts.words)
    else:
        picks = select(index, scores, ok, count=opts.count)
    highlights = [fact_dict(index, k, scores[k]) for k in picks]
    quotes = merge_quotes(reads)
    carried = {}
    for q in quotes:
        if len({s["article"] for s in q["sources"]}) > 1:
            for s in q["sources"]:
                carried.setdefault(s["article"], []).append((s["start"], s["end"]))
    shared, additions = shared_and_additions(index, scores, ok, carried)
    t2 = time.perf_counter()
    limits: list = []
    disagreements = figure_disagreements(index, reads, limits) + speaker_disagreements(quotes, reads)
    entities = merge_entities(reads)
    line = timeline(reads, index, scores, ok)
    t3 = time.perf_counter()
    meta.update({"articles": len(reads), "sentences": len(index.units), "options": opts.to_dict(),
                 "timings_ms": {"read": round((t1 - t0) * 1000, 2), "match": round((t2 - t1) * 1000, 2),
                                "merge": round((t3 - t2) * 1000, 2)}})
    if limits:
        meta["limits_hit"] = limits
    return StoryCard(reads=reads, highlights=highlights, shared=shared, additions=additions,
                     disagreements=disagreements, quotes=quotes, entities=entities, timeline=line, meta=meta)
