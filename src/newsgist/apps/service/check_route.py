"""``POST /v1/check``: check a summary against an article (issue 14).

Body ``{text | html | url, summary, options}``: the article as for ``/v1/card`` (the
same size limits, and a ``url`` is fetched under the same rules: public hosts only
unless the server allows private ones, the server's fetch timeout and size cap, the
request's time budget), and the summary as a string (one sentence a line, or prose)
or a list of strings. The answer is :func:`newsgist.check`'s object; for html/url
input (or text the service normalised) ``source_text`` is added, the text the spans
point into. The check runs on the service's worker processes like a card (the same
per-client cap, fair queue and deadline: a check past its deadline is stopped there).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsgist.errors import EmptyInputError, TooLargeError

PATH = "/v1/check"
# A summary longer than this many characters is refused (413): a summary, not a book.
MAX_SUMMARY_CHARS = 20_000


class ArticleInput(BaseModel):
    """The article of a request body: exactly one of ``text``, ``html`` or ``url``
    (``POST /v1/card``, ``/v1/highlights`` and ``/v1/check``)."""
    model_config = ConfigDict(extra="forbid")
    text: Optional[str] = Field(None, description="the article as plain text (or pasted HTML)")
    html: Optional[str] = Field(None, description="the article page as HTML")
    url: Optional[str] = Field(None, max_length=2048, description="an http(s) URL to fetch (public hosts only)")

    @model_validator(mode="after")
    def _exactly_one_input(self):
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url"
                             + (f" (got {' and '.join(given)})" if given else ""))
        return self


class CheckRequest(ArticleInput):
    """The body of ``POST /v1/check``."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "Manchester United beat Liverpool 2-1 on Sunday. Marcus Rashford scored twice.",
         "summary": "Liverpool beat Manchester United.\nRashford scored three times."}]})
    summary: Union[str, list[str]] = Field(..., description="the summary: one sentence a line, prose, or a list")
    options: Optional[dict[str, Any]] = Field(None, description="newsgist Options fields (fetch_timeout, max_bytes)")


def _summary_size(summary) -> None:
    n = len(summary) if isinstance(summary, str) else sum(len(s) for s in summary)
    if n > MAX_SUMMARY_CHARS:
        raise TooLargeError(f"the summary is longer than {MAX_SUMMARY_CHARS:,} characters")
    if not (summary.strip() if isinstance(summary, str) else any(s.strip() for s in summary)):
        raise EmptyInputError("the summary is empty")


def add_check_route(app: FastAPI, answer: Callable, *, responses: dict) -> None:
    """Register ``POST /v1/check`` on ``app``; ``answer(body, highlights_only, request,
    summary)`` is the service's own request path (:mod:`newsgist.apps.service.app`)."""

    @app.post(PATH, responses=responses, tags=["check"], summary="Check a summary against its article",
              description="Per summary sentence: support spans (offsets into the article text), score in [0, 1], "
                          "supported, unsupported pieces {text, kind} (number, name, quote, negation, relation, "
                          "other); and the whole summary's score and supported.")
    async def post_check(body: CheckRequest, request: Request):
        _summary_size(body.summary)
        return await answer(body, True, request, summary=body.summary)
