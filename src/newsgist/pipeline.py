"""The runner: the registered stages, in order, each taking and returning the Article.

Core module: it reads :data:`newsgist.registry.STAGES` and imports no stage. The
built-in stages are ``clean -> segment -> analyse -> score -> select -> compress``
(registered by the modules :mod:`newsgist.plugins` lists). The runner times each
stage into ``meta.timings_ms`` and wraps an unexpected exception in
:class:`~newsgist.errors.StageError` naming the stage, so a failure says where it
happened. Typed :class:`~newsgist.errors.NewsgistError` pass through unchanged.
"""
from __future__ import annotations

import time
from typing import Iterable

from newsgist.article import Article
from newsgist.errors import NewsgistError, StageError
from newsgist.options import Options
from newsgist.registry import STAGES, Stage
from newsgist.version import __version__


def card_stages() -> list[Stage]:
    """Every registered stage, in order (a full card)."""
    return STAGES.ordered()


def highlight_stages() -> list[Stage]:
    """The stages a highlights-only run needs (no NLP parse)."""
    return STAGES.ordered(highlights_only=True)


def stages_named(*names: str) -> list[Stage]:
    """The registered stages of these names, in run order (e.g. ``"clean", "segment"``)."""
    return [s for s in STAGES.ordered() if s.name in names]


def run(article: Article, options: Options, stages: Iterable | None = None, *,
        highlights_only: bool = False) -> Article:
    """Run ``stages`` (``Stage`` entries or ``(name, fn)`` pairs; default: the card's,
    or the highlights' with ``highlights_only``) on ``article``."""
    if stages is None:
        stages = highlight_stages() if highlights_only else card_stages()
    timings = article.meta.setdefault("timings_ms", {})
    for stage in stages:
        name, fn = stage[0], stage[1]
        t0 = time.perf_counter()
        try:
            article = fn(article, options)
        except NewsgistError:
            raise
        except Exception as exc:  # an unexpected bug: name the stage, keep one line
            raise StageError(name, f"{type(exc).__name__}: {exc}") from exc
        timings[name] = round((time.perf_counter() - t0) * 1000, 2)
    article.meta["version"] = __version__
    article.meta.setdefault("method", options.method)
    return article
