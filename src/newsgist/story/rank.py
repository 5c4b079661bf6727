"""The story's highlights: rank sentences across articles, then pick without repeating a fact.

A sentence's story score adds three things (weights below):

* its own article's learned-ranker score, min-max normalised within the article (how
  highlight-worthy it is where it was written);
* its *support*: the share of the other articles that report the same fact
  (:mod:`newsgist.story.index`), so a fact several outlets carry ranks above one only one
  carries, all else equal;
* its centrality: cosine with the story's idf-weighted centroid.

Selection is greedy by score; a sentence that reports a fact already chosen (a match in the
index, or many shared word trigrams) is skipped, so no two highlights say the same thing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from newsgist.highlighting.select import caption_shaped, inside_quote_flags
from newsgist.story.index import FactIndex, Unit
from newsgist.text import trigrams


@dataclass(frozen=True)
class RankWeights:
    """Weights of the story score. Chosen on the first 100 stories of multinews-validation-250
    (ROUGE-1/2 at 250 words, highlights-only reads; a few dozen settings tried, BENCHMARKS.md
    "Issue 29"); reported on all 250 by benchmarks/bench_story.py. The article's own learned
    ranker (trained on CNN/DM for 3-4 highlights) *lowered* ROUGE here at every weight tried
    (0.15: -0.2 R-1, 1.0: -0.8), so it is 0: the story leans on what the articles share.
    Tried without gain: ``soft`` support, lead 0.15/0.6, centroid 1.5/2, MIN_WORDS 9/10, MAX_WORDS 45."""
    ranker: float = 0.0      # the article's own learned-ranker score, normalised to [0, 1]
    support: float = 1.0     # share of the other articles reporting the same fact
    centroid: float = 1.0    # cosine with the story centroid
    lead: float = 0.3        # 1 / (1 + position): the first sentences of each report
    soft: float = 0.0        # mean over the other articles of the best cosine with one of their sentences (no gain)
    length: float = 0.5      # min(words, LENGTH_FULL) / LENGTH_FULL: a full sentence carries more of the story
    quote: float = 0.15      # added to a sentence that holds a quotation mark (the editors quote a lot:
                             # +0.3 R-1 / +0.4 R-2 on the tuning slice; a penalty of 0.3 cost 1.0 R-1)


WEIGHTS = RankWeights()
# Rank a word-budget summary (``words``) with the learned model of newsgist.story.learned (fit on
# Multi-News stories 0-99: 47.37 / 17.99 out of fold there against 46.31 / 16.80 for
# the hand weights, BENCHMARKS.md "Issue 29, session 2"); the hand weights are the fallback without
# its file, and rank a count of highlights (story_scores).
USE_LEARNED = True
# Sentences shorter than this many words are not story highlights (fragments, credits);
# longer than MAX_WORDS are scraped run-ons (lists, tables, several paragraphs glued).
MIN_WORDS = 6
MAX_WORDS = 70
# Share of a candidate's word trigrams already in a chosen highlight above which it is
# a repeat (the single-article selection's REDUNDANCY_MAX_OVERLAP).
REDUNDANCY_MAX_OVERLAP = 0.5
QUOTE_MARKS = ('"', "“", "”")
# Words from which a sentence counts as full length for the length term of the score.
LENGTH_FULL = 25
# Cosine with a chosen highlight at or above which a candidate repeats it (as the index's
# SAME_FACT_MIN, for any two sentences, of one article too).
REDUNDANT_COSINE = 0.4
# Page furniture the cleaner leaves in an article's text now and then (a mailing-list form, a
# photo credit, a tweet's link, "Read more"): never a story highlight. Read off the story
# highlights of Multi-News stories 0-99; with TRUNCATED below +0.05 R-1 there (BENCHMARKS.md "Issue 29").
BOILERPLATE = re.compile(
    r"mailing list|contact details|\bsign up\b|newsletter|click here|\bsubscribe\b|follow us|"
    r"terms of (?:use|service)|privacy policy|\bcookies?\b|javascript|your browser|all rights reserved|"
    r"image copyright|getty images|\(photo|\bphoto:|photograph:|pic\.twitter\.com|"
    r"this material may not be|redistributed|learn more|read more|related:|advertisement|"
    r"share this|\bwatch:|\bvideo:|"
    # a web archive's notice scraped in place of a report ("Starting in 1996, Alexa Internet has been
    # donating their crawl data to the Internet Archive"), and invitations to comment (session 2:
    # +0.13 R-1 / +0.13 R-2 out of fold on stories 0-99, every fold draw up)
    r"internet archive|wayback machine|crawl data|archive-it|no more 404|in the comments|"
    r"share your (?:own )?thoughts", re.I)
# A sentence cut off by its page ("... in a baseball...": a caption or teaser shortened by the site).
TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
# Items listed per article under "additions", and shared facts listed under "shared".
ADDITIONS_PER_ARTICLE = 3
SHARED_MAX = 10


def story_scores(index: FactIndex, reads, weights: RankWeights | None = None, summary: bool = True) -> list[float]:
    """Each unit's story score: for a word-budget summary (``summary``), the learned model's
    (:mod:`newsgist.story.learned`) when USE_LEARNED and its file loads; else the hand weights
    below (``weights`` asks for them). A count of highlights (``summary=False``, the card's
    default) is ranked by the hand weights: they put the facts the reports share first, where the
    learned model (fit to what editors' 250-word summaries keep) opens 31 % of Multi-News stories
    100-249 with a quotation against 15 %, and gives the top highlight more than one source in 63
    of 150 against 83 (BENCHMARKS.md "Issue 29, session 2")."""
    if weights is None and USE_LEARNED and summary:
        from newsgist.story.learned import learned_scores
        learned = learned_scores(index, reads)
        if learned is not None:
            return learned
    return hand_scores(index, reads, weights)


def hand_scores(index: FactIndex, reads, weights: RankWeights | None = None) -> list[float]:
    """The story score of session 1: weighted support, centrality, lead, length and quote."""
    weights = weights or WEIGHTS  # read at call time (the benchmark's grid sets it)
    units = index.units
    by_article: dict[int, list[Unit]] = {}
    for u in units:
        by_article.setdefault(u.article, []).append(u)
    rel = {}
    for a, us in by_article.items():
        lo, hi = min(u.score for u in us), max(u.score for u in us)
        for u in us:
            rel[id(u)] = (u.score - lo) / (hi - lo) if hi > lo else 0.5
    cen = index.centroid_scores()
    others = max(1, index.n - 1)
    return [weights.ranker * rel[id(u)] + weights.support * len(u.matches) / others + weights.centroid * c
            + weights.lead / (1.0 + u.position) + weights.soft * sum(u.soft.values()) / others
            + weights.length * min(u.words, LENGTH_FULL) / LENGTH_FULL
            + weights.quote * any(q in u.text for q in QUOTE_MARKS)
            for u, c in zip(units, cen)]


def eligible(index: FactIndex, reads) -> list[bool]:
    """Which units may be story highlights: long enough, not a caption, not mid-quote, not page
    furniture (BOILERPLATE), not cut off by the page (TRUNCATED)."""
    flags = {a: inside_quote_flags(r.article) for a, r in enumerate(reads)}
    out = []
    for u in index.units:
        mid = flags[u.article][u.sentence] if u.sentence < len(flags[u.article]) else False
        out.append(MIN_WORDS <= u.words <= MAX_WORDS and not mid and not caption_shaped(u.text)
                   and not u.text.rstrip().endswith("?") and not BOILERPLATE.search(u.text)
                   and not TRUNCATED.search(u.text))
    return out


def _repeats(index: FactIndex, u: Unit, tri: set, chosen: list[tuple[Unit, set]]) -> bool:
    for v, vtri in chosen:
        if u.article != v.article and u.matches.get(v.article, (None,))[0] is not None \
                and index.units[u.matches[v.article][0]] is v:
            return True
        if tri and len(tri & vtri) / len(tri) > REDUNDANCY_MAX_OVERLAP:
            return True
        if index.cosine(u, v) >= REDUNDANT_COSINE:
            return True
    return False


def select(index: FactIndex, scores: list[float], ok: list[bool], count: int | None = None,
           words: int | None = None, pool: list[int] | None = None) -> list[int]:
    """Greedy picks (unit ids, best first) until ``count`` units or ``words`` words (words as a
    reader counts them, between spaces: the budget is then filled, never stopped a few words short
    because the tokenizer splits "don't" or "U.S.-led")."""
    order = sorted(pool if pool is not None else range(len(index.units)), key=lambda k: (-scores[k], k))
    chosen: list[tuple[Unit, set]] = []
    picked, total = [], 0
    for k in order:
        if not ok[k]:
            continue
        u = index.units[k]
        tri = trigrams(u.text)
        if _repeats(index, u, tri, chosen):
            continue
        chosen.append((u, tri))
        picked.append(k)
        total += len(u.text.split())
        if (count is not None and len(picked) >= count) or (words is not None and total >= words):
            break
    return picked


def sources_of(index: FactIndex, k: int) -> list[dict]:
    """The unit itself and its best match in every other article, each with its span."""
    u = index.units[k]
    out = [{"article": u.article, "start": u.start, "end": u.end}]
    for a, (j, c) in sorted(u.matches.items()):
        v = index.units[j]
        out.append({"article": a, "start": v.start, "end": v.end, "similarity": round(c, 3)})
    return out


def fact_dict(index: FactIndex, k: int, score: float) -> dict:
    u = index.units[k]
    return {"text": u.text, "article": u.article, "start": u.start, "end": u.end, "score": round(score, 4),
            "sources": sources_of(index, k)}


def shared_and_additions(index: FactIndex, scores: list[float], ok: list[bool],
                         shared_quotes: dict | None = None) -> tuple[list[dict], list[dict]]:
    """Facts two articles or more report (ranked), and per article what only it reports.
    ``shared_quotes``: article -> spans of its quotes that other articles carry too (a sentence
    holding one is not an addition, however differently the rest of it is told)."""
    shared_quotes = shared_quotes or {}

    def quotes_shared(u: Unit) -> bool:
        return any(u.start <= s and e <= u.end for s, e in shared_quotes.get(u.article, ()))
    multi = [k for k, u in enumerate(index.units) if u.matches]
    shared = [fact_dict(index, k, scores[k]) for k in select(index, scores, ok, count=SHARED_MAX, pool=multi)]
    by_article: dict[int, list[int]] = {}
    for k, u in enumerate(index.units):
        if not u.matches and not quotes_shared(u):
            by_article.setdefault(u.article, []).append(k)
    additions = []
    for a in range(index.n):
        picks = select(index, scores, ok, count=ADDITIONS_PER_ARTICLE, pool=by_article.get(a, []))
        additions.append({"article": a, "items": [{"text": index.units[k].text, "start": index.units[k].start,
                                                   "end": index.units[k].end, "score": round(scores[k], 4)}
                                                  for k in picks]})
    return shared, additions
