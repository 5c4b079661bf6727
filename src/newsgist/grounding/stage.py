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
from newsgist.grounding.check import line_evidence, source_of, verdict
from newsgist.grounding.faithfulness import check as faithfulness_check
from newsgist.grounding.model import line_features, load
from newsgist.options import Options
from newsgist.registry import STAGES


def _extractive_report(source: str, h) -> dict:
    """The faithfulness report of a highlight shown as its whole sentence."""
    support = [(h.start, h.end)]
    rep = faithfulness_check(source, h.text, support, support)
    # an extractive highlight is its sentence exactly as written (render_spans would
    # collapse whitespace and add a final stop or a capital, which a shown sentence does not get)
    rep["checks"]["spans"] = source[h.start:h.end] == h.text
    rep["passed"] = all(rep["checks"].values())
    return rep


@STAGES.register("ground", order=70, description="every highlight: support spans, checks, the checker's score")
def stage_ground(article: Article, options: Options) -> Article:
    if not article.highlights:
        return article
    model = load()
    src = source_of(article)
    seen: set = set()
    for h in article.highlights:
        if h.faithfulness is None:
            h.faithfulness = _extractive_report(article.source, h)
        ev = line_evidence(src, h.text, seen)
        score = float(model.line.predict([line_features(ev)])[0])
        h.grounding = {"score": score, "supported": verdict(score, ev, model),
                       "unsupported": ev["unsupported"]}
    return article
