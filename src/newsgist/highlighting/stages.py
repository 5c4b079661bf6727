"""The highlight stages: ``score`` (the chosen scorer, one float a sentence) and
``select`` (the highlights: count, redundancy, length), registered in
:data:`newsgist.registry.STAGES`. Scoring is separate from selection."""
from __future__ import annotations

from newsgist.article import Article
from newsgist.highlighting.methods import resolve
from newsgist.highlighting.select import select
from newsgist.options import Options
from newsgist.registry import STAGES


# The scorers rank at most this many sentences, the first ones of the body; the rest
# score below every ranked one (and the cap goes to meta.limits_hit; the body keeps
# them). The longest validation-1000 article has 125 sentences; 2,000 is 16 times that
# and keeps the learned ranker's features and trees (~0.3 ms a sentence) under a second
# on an 8 MB input (issue 17).
SCORE_MAX_SENTENCES = 2_000


@STAGES.register("score", order=40, description="score every sentence with the chosen method")
def stage_score(article: Article, options: Options) -> Article:
    scorer = resolve(options.method, article.meta)
    sentences = article.sentences
    if len(sentences) <= SCORE_MAX_SENTENCES:
        article.scores = scorer.fn(article)
    else:
        article.sentences = sentences[:SCORE_MAX_SENTENCES]
        try:
            scores = scorer.fn(article)
        finally:
            article.sentences = sentences
        floor = min(scores, default=0.0) - 1.0
        article.scores = list(scores) + [floor] * (len(sentences) - len(scores))
        article.limit_hit("score", "SCORE_MAX_SENTENCES", f"the first {SCORE_MAX_SENTENCES:,} of "
                          f"{len(sentences):,} sentences were scored; the rest rank below them")
    article.meta["method"] = scorer.name
    return article


@STAGES.register("select", order=50, description="choose the highlights (count, redundancy, length)")
def stage_select(article: Article, options: Options) -> Article:
    # a scorer may decide how many highlights the article deserves (the learned ranker does)
    count = options.count or article.meta.get("auto_count")
    # ... and which sentences (the learned ranker's set reranker): those are taken first
    article.highlights = select(article, article.scores, count, options.max_words,
                                prefer=article.meta.get("auto_set"))
    return article
