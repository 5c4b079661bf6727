"""The story index: articles join stories online, one at a time, in input order.

For each article (its :func:`~newsgist.corpus.features.extract` features):

1. the document frequencies are updated (a streaming IDF: the corpus read so far,
   this article included) and each feature group is weighted ``(1 + ln tf) * idf`` and
   scaled to unit length;
2. candidate stories come from an inverted index (feature slot -> stories whose
   centroid holds it): the article's ``QUERY_TERMS`` heaviest features look up at most
   the ``POSTINGS_CAP`` latest stories each — never all pairs;
3. the ``CANDIDATES`` best-voted candidates whose dates allow it (``DATE_WINDOW_DAYS``)
   are scored: per group, the cosine of the article with the story's centroid (the sum
   of its articles' unit vectors, cut to its ``CENTROID_KEEP`` heaviest features);
   the groups are mixed by ``WEIGHTS`` over the groups the article has;
4. the article joins the best story scoring at least ``THRESHOLD`` (and sharing a name
   with it, when both have names), else it starts a new story.

Story ids never change once given, and the whole index is a function of the articles in
order: one run over everything and runs over consecutive parts through ``--state`` give
the same stories (see :mod:`newsgist.corpus.state`).
"""
from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import Optional

from newsgist.corpus.features import BUCKETS, GROUPS

#: Join threshold on the mixed cosine (0..1). Set by cross-validation over the topics of
#: ecbplus-dev (BENCHMARKS.md, issue 30): the value chosen on most folds.
THRESHOLD = 0.25
#: Mix of the group cosines (words, names, numbers), set on the same folds.
WEIGHTS = {"words": 1.0, "names": 1.0, "numbers": 0.25}
#: Dates bound who may join: an article whose date lies more than this many days outside
#: a story's dated span does not join it (articles or stories without a date are not bound).
DATE_WINDOW_DAYS = 14
#: Features of a story's centroid kept per group (memory per story is bounded).
CENTROID_KEEP = {"words": 150, "names": 60, "numbers": 30}
#: The article's heaviest features used to look up candidates, per group.
QUERY_TERMS = {"words": 12, "names": 12, "numbers": 4}
#: Latest stories read from one posting list (a common word cannot make a lookup slow).
POSTINGS_CAP = 64
#: Candidates scored in full per article.
CANDIDATES = 8
#: Member ids kept per story for its title line candidates (see titles.py).
TITLE_CANDIDATES = 16


@dataclass
class Story:
    """One story: its centroid per group, size, dated span and members."""
    number: int
    centroid: dict = field(default_factory=lambda: {g: _pack({}) for g in GROUPS})   # packed: see _pack
    norms: dict = field(default_factory=lambda: {g: 0.0 for g in GROUPS})
    size: int = 0
    first_day: Optional[int] = None
    last_day: Optional[int] = None
    articles: list = field(default_factory=list)
    title: Optional[str] = None       # the title line (apps/cluster/stories.py); None until one is read

    @property
    def id(self) -> str:
        return story_id(self.number)


def story_id(number: int) -> str:
    return f"s{number:06d}"


def _pack(vec: dict) -> tuple:
    """A sparse vector as two flat arrays (slots, weights): 12 bytes a feature instead of a
    dict entry's ~100, which is most of the index's memory at tens of thousands of stories."""
    keys = sorted(vec)
    return array("i", keys), array("d", [vec[k] for k in keys])


def _unpack(packed: tuple) -> dict:
    return dict(zip(*packed))


def _unit(vec: dict) -> dict:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {k: w / norm for k, w in vec.items()} if norm else {}


class StoryIndex:
    """Streaming document frequencies, the stories and their inverted index."""

    def __init__(self, params: Optional[dict] = None):
        self.params = {"threshold": THRESHOLD, "weights": dict(WEIGHTS), "date_window": DATE_WINDOW_DAYS}
        self.params.update(params or {})
        self.n_docs = 0
        self.df = array("i", bytes(4 * BUCKETS))
        self.stories: list[Story] = []
        self.postings: dict[int, array] = {}   # posting lists: story numbers - 1, oldest first
        self.seen: set = set()   # every article id placed so far (duplicates are refused)

    # --- weighting -------------------------------------------------------------------
    def weigh(self, feats: dict) -> dict:
        """Count the article into the document frequencies; its unit vector per group."""
        self.n_docs += 1
        df, n = self.df, self.n_docs
        out = {}
        for g in GROUPS:
            counts = feats.get(g) or {}
            for k in counts:
                df[k] += 1
            out[g] = _unit({k: (1.0 + math.log(c)) * math.log((n + 1) / df[k]) for k, c in counts.items()})
        return out

    # --- search ----------------------------------------------------------------------
    def candidates(self, vec: dict, day: Optional[int]) -> list[Story]:
        votes: dict = {}
        for g in GROUPS:
            top = sorted(vec[g].items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS[g]]
            for k, w in top:
                for s in self.postings.get(_pkey(g, k), ())[-POSTINGS_CAP:]:
                    votes[s] = votes.get(s, 0.0) + w
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        out = []
        for s, _ in ranked:
            story = self.stories[s]
            if self._dates_allow(story, day):
                out.append(story)
                if len(out) >= CANDIDATES:
                    break
        return out

    def _dates_allow(self, story: Story, day: Optional[int]) -> bool:
        if day is None or story.first_day is None:
            return True
        w = self.params["date_window"]
        return story.first_day - w <= day <= story.last_day + w

    def score(self, vec: dict, story: Story) -> float:
        """Mixed cosine of an article's unit vectors with a story's centroid."""
        weights = self.params["weights"]
        total = wsum = 0.0
        for g in GROUPS:
            a = vec[g]
            if not a or not weights.get(g):
                continue
            norm, cos = story.norms[g], 0.0
            if norm:
                c = _unpack(story.centroid[g])
                cos = sum(w * c.get(k, 0.0) for k, w in a.items()) / norm
            total += weights[g] * cos
            wsum += weights[g]
        return total / wsum if wsum else 0.0

    # --- adding ----------------------------------------------------------------------
    def add(self, article_id, feats: dict) -> tuple[Story, float]:
        """Place one article; returns its story and the score it joined with (1.0: new)."""
        vec = self.weigh(feats)
        day = feats.get("day")
        best, best_score = None, self.params["threshold"]
        for story in self.candidates(vec, day):
            s = self.score(vec, story)
            if s >= best_score and (best is None or s > best_score or story.number < best.number):
                best, best_score = story, s
        if best is None:
            best, best_score = Story(len(self.stories) + 1), 1.0
            self.stories.append(best)
        self._update(best, vec, day, article_id)
        return best, best_score

    def _update(self, story: Story, vec: dict, day: Optional[int], article_id) -> None:
        idx = story.number - 1
        for g in GROUPS:
            if not vec[g]:
                continue
            c = _unpack(story.centroid[g])
            old = set(c)
            for k, w in vec[g].items():
                c[k] = c.get(k, 0.0) + w
            if len(c) > CENTROID_KEEP[g]:
                c = dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_KEEP[g]])
            story.centroid[g] = _pack(c)
            story.norms[g] = math.sqrt(sum(w * w for w in story.centroid[g][1]))
            for k in sorted(c.keys() - old):
                plist = self.postings.get(_pkey(g, k))
                if plist is None:
                    plist = self.postings[_pkey(g, k)] = array("i")
                plist.append(idx)
        story.size += 1
        if day is not None:
            story.first_day = day if story.first_day is None else min(story.first_day, day)
            story.last_day = day if story.last_day is None else max(story.last_day, day)
        story.articles.append(article_id)


def _pkey(group: str, slot: int) -> int:
    """Posting-list key: the slot with its group (slots are < 2^22)."""
    return GROUPS.index(group) * BUCKETS + slot
