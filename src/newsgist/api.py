"""The library's entry points: :func:`read`, :func:`read_url`, :func:`highlights`.

Assembly layer: input -> Article (:mod:`newsgist.reading.load`) -> the registered
stages (:mod:`newsgist.pipeline`). Importing it loads the built-in stages and
scorers (:mod:`newsgist.plugins`).
"""
from __future__ import annotations

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
