"""Which sentences of different articles report the same fact: an inverted index, not all pairs.

Every sentence of every article becomes a :class:`Unit` with its content stems, the names
(capitalised words) and numbers it holds. Stems are weighted by inverse *article*
frequency within the story. An inverted index maps each stem to the units that hold it;
a unit's candidates are the units of other articles that share one of its rarer stems
(stems held by more than ``POSTING_CAP`` units are not used to find candidates, only to
score them), so the work grows with the number of sentences times a bounded fan-out,
never with the square of all sentences. Two units match ("report the same fact") when
their idf-weighted cosine reaches ``SAME_FACT_MIN``; each unit keeps its best match in
every other article.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsgist.text import STOPWORDS, stem, words

# Cosine (idf-weighted content stems) at or above which two sentences of different
# articles report the same fact. Set by reading matched pairs of the story fixtures and
# of 20 Multi-News stories (validation): 0.4 pairs paraphrases that share the key names
# and numbers, while sentences that only share the story's topic words stay under ~0.3.
SAME_FACT_MIN = 0.4
# A stem held by more units than this is too common in the story to find candidates
# with (it still counts in the cosine): bounds each unit's candidate list, which keeps
# matching near-linear in the story's sentences.
POSTING_CAP = 60
# Candidates of one unit actually scored: those sharing the most rare stems first.
MAX_CANDIDATES = 40
# Sentences with fewer content stems than this are not matched (datelines, "Read more").
MIN_STEMS = 3

# The sentence's norm is raised to this power in its centroid cosine: 1 is the cosine (short
# sentences of the story's top words win), lower gives longer sentences their due.
CENTROID_NORM_POWER = 1.0
# Each stem's weight in the story centroid is also multiplied by the share of the articles that
# hold it, to this power: the editors' summary covers what the reports share, and the idf alone
# favours one report's own words. Set on stories 0-99 of multinews-validation-250 (0.5 / 1 / 2:
# +0.02 / +0.06 / +0.02 R-1); stories 100-249 were not used to set it (BENCHMARKS.md "Issue 29").
CENTROID_SHARED_POWER = 1.0

# Spelled-out numbers, left out with the digits in a words-only cosine.
NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
billion dozen dozens hundreds thousands millions""".split())

_NUM = re.compile(r"\d[\d,.]*")


@dataclass
class Unit:
    article: int                   # index in the story's articles
    sentence: int                  # index in that article's sentences
    start: int                     # span in the article's input
    end: int
    text: str
    stems: Counter = field(default_factory=Counter)
    names: frozenset = frozenset()
    numbers: frozenset = frozenset()
    words: int = 0
    score: float = 0.0             # the article ranker's score (normalised in rank.py)
    position: int = 0              # rank of the sentence in its article (0 = first)
    norm: float = 0.0
    matches: dict = field(default_factory=dict)  # other article -> (unit id, cosine)
    soft: dict = field(default_factory=dict)     # other article -> best cosine among its candidates


def _features(text: str) -> tuple[Counter, frozenset, frozenset, int]:
    ws = words(text)
    stems = Counter(stem(w) for w in ws if w.lower() not in STOPWORDS and len(w) > 1)
    names = frozenset(w.lower() for i, w in enumerate(ws) if i > 0 and w[:1].isupper() and w.lower() not in STOPWORDS)
    numbers = frozenset(n.rstrip(".,").replace(",", "") for n in _NUM.findall(text))
    return stems, names, numbers, len(ws)


def units_of(reads) -> list[Unit]:
    """One Unit per sentence of each article (in story order)."""
    units = []
    for a, r in enumerate(reads):
        art = r.article
        for i, s in enumerate(art.sentences):
            text = art.source[s.start:s.end]
            stems, names, numbers, n = _features(text)
            score = art.scores[i] if i < len(art.scores) else 0.0
            units.append(Unit(a, i, s.start, s.end, text, stems, names, numbers, n, score, i))
    return units


class FactIndex:
    """The story's sentences, their idf weights and their cross-article matches."""

    def __init__(self, units: list[Unit], n_articles: int):
        self.units = units
        self.n = n_articles
        df = defaultdict(set)
        for u in units:
            for t in u.stems:
                df[t].add(u.article)
        # idf over articles (+1 smoothing); a stem every article holds still weighs a little
        self.idf = {t: math.log((1 + n_articles) / (1 + len(arts))) + 1.0 for t, arts in df.items()}
        for u in units:
            u.norm = math.sqrt(sum((c * self.idf[t]) ** 2 for t, c in u.stems.items()))
        self.postings = defaultdict(list)
        for k, u in enumerate(units):
            if len(u.stems) >= MIN_STEMS:
                for t in u.stems:
                    self.postings[t].append(k)

    def cosine(self, a: Unit, b: Unit, words_only: bool = False) -> float:
        """idf-weighted cosine of two units' stems; ``words_only``: numbers left out (two
        sentences that differ only in a figure are then the same sentence)."""
        if words_only:
            sa = {t: c for t, c in a.stems.items() if not t[:1].isdigit() and t not in NUMBER_WORDS}
            sb = {t: c for t, c in b.stems.items() if not t[:1].isdigit() and t not in NUMBER_WORDS}
            na = math.sqrt(sum((c * self.idf[t]) ** 2 for t, c in sa.items()))
            nb = math.sqrt(sum((c * self.idf[t]) ** 2 for t, c in sb.items()))
        else:
            sa, sb, na, nb = a.stems, b.stems, a.norm, b.norm
        if not na or not nb:
            return 0.0
        if len(sa) > len(sb):
            sa, sb = sb, sa
        dot = sum(c * sb.get(t, 0) * self.idf[t] ** 2 for t, c in sa.items())
        return dot / (na * nb)

    def candidates(self, k: int) -> list[int]:
        """Units of other articles sharing a rare stem with unit ``k``, most shared first."""
        u = self.units[k]
        if len(u.stems) < MIN_STEMS:
            return []
        hits = Counter()
        for t in u.stems:
            post = self.postings.get(t, ())
            if len(post) > POSTING_CAP:
                continue
            for j in post:
                if self.units[j].article != u.article:
                    hits[j] += 1
        return [j for j, _ in hits.most_common(MAX_CANDIDATES)]

    def match_all(self) -> None:
        """Each unit's best match (cosine >= SAME_FACT_MIN) in every other article."""
        for k, u in enumerate(self.units):
            for j in self.candidates(k):
                v = self.units[j]
                c = self.cosine(u, v)
                if c > u.soft.get(v.article, 0.0):
                    u.soft[v.article] = c
                if c >= SAME_FACT_MIN and c > u.matches.get(v.article, (None, 0.0))[1]:
                    u.matches[v.article] = (j, c)

    def similar(self, a: Unit, b: Unit) -> float:
        return self.cosine(a, b)

    def centroid_scores(self) -> list[float]:
        """Cosine of each unit with the story's centroid (idf-weighted stems of all articles,
        each article weighing the same, each stem also weighted by the share of the articles
        holding it): how central the sentence is to the whole story."""
        per_article = defaultdict(Counter)
        for u in self.units:
            per_article[u.article].update(u.stems)
        held = Counter()
        for c in per_article.values():
            held.update(c.keys())
        cen = Counter()
        for a, c in per_article.items():
            total = sum(c.values()) or 1
            for t, v in c.items():
                cen[t] += v / total * self.idf[t] * (held[t] / self.n) ** CENTROID_SHARED_POWER
        norm = math.sqrt(sum(v * v for v in cen.values())) or 1.0
        out = []
        for u in self.units:
            if not u.norm:
                out.append(0.0)
                continue
            dot = sum(c * self.idf[t] * cen.get(t, 0.0) for t, c in u.stems.items())
            out.append(dot / (u.norm ** CENTROID_NORM_POWER * norm))
        return out
