"""The ``ground`` stage (order 70, every run): each highlight gets its evidence.

Every highlight -- extractive, compressed, or (later) generated -- is judged by the
same checker (:mod:`newsgist.grounding.check`):

* ``faithfulness`` (``support`` + ``checks``, :mod:`newsgist.grounding.faithfulness`):
  a compressed highlight keeps the report compression computed (with the parse); an
  extractive one gets the text-level checks against its own sentence (no parse, so
  highlights-only runs stay cheap);
* ``grounding``: the checker's score of the line against the whole article, its
  verdict at the line threshold of the shipped model, and the unsupported pieces.

Cost: one regex pass over the article's sentences and a few per highlight (well
under a millisecond a highlight; BENCHMARKS.md, "Grounding (issue 14)").
"""
from __future__ import annotations

from newsgist.article import Article
from newsgist.grounding.align import Source
from newsgist.grounding.check import line_evidence, score_line, shown_pieces, source_of, verdict
from newsgist.grounding.faithfulness import check as faithfulness_check
from newsgist.grounding.model import load
from newsgist.options import Options, english_applies
from newsgist.registry import STAGES

# The checker indexes at most this many sentences of an article (the first ones, plus
# every highlight's own sentence): the index costs ~20 us a sentence, about 3 s on an
# 8 MB input of short sentences (issue 17). Same bound as the scorer's
# SCORE_MAX_SENTENCES (highlights come from the sentences it scores); the longest
# validation-1000 article has 125 sentences, so real articles never reach it.
GROUND_MAX_SENTENCES = 2_000
# ... and at most this many characters of them (a few hundred "sentences" of 3,000
# characters of punctuation soup cost as much as 100,000 short ones): 300,000 is three
# times the full-card limit and about 30 times a long news article.
GROUND_MAX_CHARS = 300_000


def _extractive_report(source: str, h) -> dict:
    """The faithfulness report of a highlight shown as its whole sentence."""
    support = [(h.start, h.end)]
    rep = faithfulness_check(source, h.text, support, support)
    # an extractive highlight is its sentence exactly as written (render_spans would
    # collapse whitespace and add a final stop or a capital, which a shown sentence does not get)
    rep["checks"]["spans"] = source[h.start:h.end] == h.text
    rep["passed"] = all(rep["checks"].values())
    return rep


def _source(article: Article) -> Source:
    """The checker's index of the article, capped at GROUND_MAX_SENTENCES (reported
    in ``meta.limits_hit``; the body and the highlights are untouched)."""
    sents = article.sentences
    n, first, chars = len(sents), 0, 0
    while first < min(n, GROUND_MAX_SENTENCES) and chars + sents[first].end - sents[first].start <= GROUND_MAX_CHARS:
        chars += sents[first].end - sents[first].start
        first += 1
    if first == n:
        return source_of(article)
    keep = set(range(first)) | {h.sentence for h in article.highlights if 0 <= h.sentence < n}
    spans = [(sents[k].start, sents[k].end) for k in sorted(keep)]
    limit = "GROUND_MAX_SENTENCES" if first == GROUND_MAX_SENTENCES else "GROUND_MAX_CHARS"
    article.limit_hit("ground", limit, f"the checker indexed {len(spans):,} of {n:,} sentences (the first "
                                       f"{first:,} and the highlights' own); support is sought among those")
    return Source(article.source, spans)


@STAGES.register("ground", order=70, description="every highlight: support spans, checks, the checker's score")
def stage_ground(article: Article, options: Options) -> Article:
    if not article.highlights:
        return article
    for h in article.highlights:
        if h.faithfulness is None:
            h.faithfulness = _extractive_report(article.source, h)
    if not english_applies(article.meta):
        return article  # the checker's model reads English only: support and checks, no verdict
    model = load()
    src = _source(article)
    seen: set = set()
    for h in article.highlights:
        ev = line_evidence(src, h.text, seen)
        score = score_line(ev, model)  # issue 26: a whole copied sentence scores 1.0 without the model
        ok = verdict(score, ev, model)
        h.grounding = {"score": score, "supported": ok, "unsupported": shown_pieces(ev, ok)}
    return article
