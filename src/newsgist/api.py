"""The library's entry points: :func:`read`, :func:`read_url`, :func:`highlights`, :func:`check`.

Assembly layer: input -> Article (:mod:`newsgist.reading.load`) -> the registered
stages (:mod:`newsgist.pipeline`). Importing it loads the built-in stages and
scorers (:mod:`newsgist.plugins`).
"""
from __future__ import annotations

import re

import newsgist.plugins  # noqa: F401  (registers the built-in stages and scorers)
from newsgist.article import Article
from newsgist.options import Options
from newsgist.pipeline import run
from newsgist.reading.inputs import Source, from_text
from newsgist.reading.load import article_from_source, fetch_source


def _merge_options(options: Options | None, kwargs: dict) -> Options:
    """An Options from an optional base plus keyword overrides (validated either way)."""
    if options is None:
        return Options(**kwargs)
    return options.replace(**kwargs) if kwargs else options


def read(text_or_html: str | Source, options: Options | None = None, *, highlights_only: bool = False,
         **kwargs) -> Article:
    """Read an article (plain text or HTML) and return its story card as an Article.

    ``options`` is an :class:`Options`; keyword arguments build one (``count=4``).
    With ``highlights_only`` the NLP analysis (quotes, entities, figures) is skipped.
    Raises a :class:`~newsgist.errors.NewsgistError` subclass on bad input.
    """
    options = _merge_options(options, kwargs)
    src = text_or_html if isinstance(text_or_html, Source) else from_text(text_or_html)
    return run(article_from_source(src), options, highlights_only=highlights_only)


def read_url(url: str, options: Options | None = None, *, highlights_only: bool = False, **kwargs) -> Article:
    """Fetch ``url`` and read it like :func:`read`; fetch failures raise typed errors."""
    options = _merge_options(options, kwargs)
    return run(article_from_source(fetch_source(url, options)), options, highlights_only=highlights_only)


def highlights(text: str, options: Options | None = None, **kwargs) -> list[str]:
    """Just the highlight texts of ``text``."""
    return [h.text for h in read(text, options, highlights_only=True, **kwargs).highlights]


def split_summary(summary: str | list[str]) -> list[str]:
    """The lines of a summary: a list as given; text with several lines, one per line
    (bullet marks dropped); one paragraph of prose, split into sentences."""
    from newsgist.errors import EmptyInputError, InputError
    from newsgist.reading.segment import cut_long, split_span
    if isinstance(summary, (list, tuple)):
        if not all(isinstance(s, str) for s in summary):
            raise InputError("summary: a string or a list of strings")
        lines = [" ".join(s.split()) for s in summary]
    elif isinstance(summary, str):
        raw = [ln.strip() for ln in summary.replace("\r\n", "\n").split("\n") if ln.strip()]
        if len(raw) > 1:
            lines = [re.sub(r"^(?:[-*•·–]|\d+[.)])\s+", "", ln) for ln in raw]
        else:
            text = raw[0] if raw else ""
            lines = [text[a:b] for a, b in split_span(text, 0, len(text))] or [text]
            if not any(ch.isupper() for ch in text):  # lower-cased, tokenised model output: "... friday . locke ..."
                lines = [p for ln in lines for p in re.split(r"(?<=\s[.!?])\s+", ln)]
    else:
        raise InputError("summary: a string or a list of strings")
    # a line over SENTENCE_MAX_CHARS is cut as an article sentence is: the checker's
    # per-line alignment (window order, order flips) is quadratic in a line's length
    lines = [piece for ln in lines if ln.strip() for piece in cut_long(ln)]
    if not lines:
        raise EmptyInputError("the summary is empty")
    return lines


def check(article: str | Source | Article, summary: str | list[str], options: Options | None = None,
          **kwargs) -> dict:
    """Check a summary against an article (text, HTML, a Source or an Article already read).

    Returns ``{"score", "supported", "sentences": [{text, score, supported, support,
    unsupported}], "meta"}`` (README, "Checking a summary"); spans are offsets into the
    article's input. Raises a :class:`~newsgist.errors.NewsgistError` subclass on bad input.
    """
    import time

    from newsgist.grounding.check import check_lines, source_of
    from newsgist.pipeline import stages_named
    options = _merge_options(options, kwargs)
    lines = split_summary(summary)
    t0 = time.perf_counter()
    if not isinstance(article, Article):
        if not isinstance(article, (str, Source)):
            from newsgist.errors import InputError
            raise InputError("article: text, HTML, a Source or an Article")
        src = article if isinstance(article, Source) else from_text(article)
        article = run(article_from_source(src), options, stages_named("clean", "segment"))
    t1 = time.perf_counter()
    out = check_lines(source_of(article), lines)
    out["meta"] = {"sentences": len(lines), "source_sentences": len(article.sentences),
                   "timings_ms": {"read": round((t1 - t0) * 1000, 2),
                                  "check": round((time.perf_counter() - t1) * 1000, 2)}}
    return out
