"""The highlight stages: ``score`` (the chosen scorer, one float a sentence) and
``select`` (the highlights: count, redundancy, length), registered in
:data:`newsgist.registry.STAGES`. Scoring is separate from selection."""
from __future__ import annotations

from newsgist.article import Article
from newsgist.highlighting.methods import resolve
from newsgist.highlighting.select import select
from newsgist.options import Options
from newsgist.registry import STAGES


@STAGES.register("score", order=40, description="score every sentence with the chosen method")
def stage_score(article: Article, options: Options) -> Article:
    scorer = resolve(options.method, article.meta)
    article.scores = scorer.fn(article)
    article.meta["method"] = scorer.name
    return article


@STAGES.register("select", order=50, description="choose the highlights (count, redundancy, length)")
def stage_select(article: Article, options: Options) -> Article:
    # a scorer may decide how many highlights the article deserves (the learned ranker does)
    count = options.count or article.meta.get("auto_count")
    article.highlights = select(article, article.scores, count, options.max_words)
    return article
