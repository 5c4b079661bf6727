"""The reading stages: ``clean`` (clutter set aside, paragraphs and headings) and
``segment`` (sentences), registered in :data:`newsgist.registry.STAGES`."""
from __future__ import annotations

from newsgist.article import Article
from newsgist.errors import NoTextError
from newsgist.options import Options
from newsgist.reading.clean import clean
from newsgist.reading.segment import has_sentence_punctuation, segment
from newsgist.registry import STAGES


@STAGES.register("clean", order=10, description="set clutter aside; paragraphs, headings, dateline")
def stage_clean(article: Article, options: Options) -> Article:
    c = clean(article.source, article.source_headings)
    article.paragraphs = c.paragraphs
    article.removed = c.removed
    article.dateline = c.dateline
    if c.page_model is not None:     # a page router is configured (issue 31, session 12): which pair read it
        article.meta["page_model"] = c.page_model
    article.page_highlights = article.page_highlights + [h for h in c.page_highlights
                                                         if h not in article.page_highlights]
    article.invalidate_body()
    if not any(p.kind == "paragraph" for p in article.paragraphs):
        raise NoTextError("no article text left after cleaning (only headlines, links or furniture)")
    return article


@STAGES.register("segment", order=20, description="split the kept paragraphs into sentences")
def stage_segment(article: Article, options: Options) -> Article:
    limits: list[str] = []
    article.sentences = segment(article.source, article.paragraphs, limits)
    for detail in limits:
        article.limit_hit("segment", "SENTENCE_MAX_CHARS", detail)
    if not article.sentences or not has_sentence_punctuation(article.body):
        raise NoTextError("no sentence found: the text has no sentence punctuation")
    return article
