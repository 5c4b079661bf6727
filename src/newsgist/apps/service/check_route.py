"""``POST /v1/check``: check a summary against an article (issue 14).

Body ``{text | html | url, summary, options}``: the article as for ``/v1/card`` (the
same size limits, and a ``url`` is fetched under the same rules: public hosts only
unless the server allows private ones, the server's fetch timeout and size cap, the
request's time budget), and the summary as a string (one sentence a line, or prose)
or a list of strings. The answer is :func:`newsgist.check`'s object; for html/url
input (or text the service normalised) ``source_text`` is added, the text the spans
point into. Checking reads the article's sentences only (no parse): milliseconds, so
it runs on a thread of the service process, bounded by the request deadline.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Optional, Union

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsgist.errors import EmptyInputError, TooLargeError

PATH = "/v1/check"
# A summary longer than this many characters is refused (413): a summary, not a book.
MAX_SUMMARY_CHARS = 20_000


class CheckRequest(BaseModel):
    """The body of ``POST /v1/check``."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "Manchester United beat Liverpool 2-1 on Sunday. Marcus Rashford scored twice.",
         "summary": "Liverpool beat Manchester United.\nRashford scored three times."}]})
    text: Optional[str] = Field(None, description="the article as plain text (or pasted HTML)")
    html: Optional[str] = Field(None, description="the article page as HTML")
    url: Optional[str] = Field(None, max_length=2048, description="an http(s) URL to fetch (public hosts only)")
    summary: Union[str, list[str]] = Field(..., description="the summary: one sentence a line, prose, or a list")
    options: Optional[dict[str, Any]] = Field(None, description="newsgist Options fields (fetch_timeout, max_bytes)")

    @model_validator(mode="after")
    def _exactly_one_input(self):
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url"
                             + (f" (got {' and '.join(given)})" if given else ""))
        return self


def _summary_size(summary) -> None:
    n = len(summary) if isinstance(summary, str) else sum(len(s) for s in summary)
    if n > MAX_SUMMARY_CHARS:
        raise TooLargeError(f"the summary is longer than {MAX_SUMMARY_CHARS:,} characters")
    if not (summary.strip() if isinstance(summary, str) else any(s.strip() for s in summary)):
        raise EmptyInputError("the summary is empty")


def _check_job(job: dict, summary) -> dict:
    """Read the article (clean + segment) and check the summary; runs on a thread."""
    from newsgist.api import check
    from newsgist.options import Options
    from newsgist.pipeline import run, stages_named
    from newsgist.reading.inputs import Source, from_text
    from newsgist.reading.load import article_from_source
    options = Options.from_dict(job["options"])
    src = from_text(job["text"]) if job["kind"] == "text" else \
        Source(text=job["text"], kind=job["kind"], name=job.get("name"), encoding=job.get("encoding") or "utf-8",
               html=job.get("html"))
    article = run(article_from_source(src), options, stages_named("clean", "segment"))
    result = check(article, summary, options)
    if article.source != job["text"]:  # html/url input, or text the reader normalised: the spans' text
        result["source_text"] = article.source
    return result


def add_check_route(app: FastAPI, engine, settings, *, options: Callable, check_size: Callable, fetch: Callable,
                    responses: dict) -> None:
    """Register ``POST /v1/check`` on ``app`` with the service's own helpers (option
    parsing, size checks, the guarded fetch), passed in by :mod:`app`."""

    @app.post(PATH, responses=responses, tags=["check"], summary="Check a summary against its article",
              description="Per summary sentence: support spans (offsets into the article text), score in [0, 1], "
                          "supported, unsupported pieces {text, kind} (number, name, quote, negation, relation, "
                          "other); and the whole summary's score and supported.")
    async def post_check(body: CheckRequest):
        deadline = time.monotonic() + settings.request_timeout
        opts = options(body.options, settings)
        limit = min(opts.max_bytes, settings.max_input_bytes)
        _summary_size(body.summary)
        if body.url is not None:
            job = await fetch(engine, body.url, opts, deadline)
        elif body.html is not None:
            check_size(body.html, limit, "html")
            job = {"kind": "html", "text": body.html, "html": body.html}
        else:
            check_size(body.text, limit, "text")
            job = {"kind": "text", "text": body.text}
        job["options"] = opts.to_dict()
        remaining = max(0.05, deadline - time.monotonic())
        try:
            result = await asyncio.wait_for(asyncio.to_thread(_check_job, job, body.summary), remaining)
        except asyncio.TimeoutError:
            return JSONResponse({"error": {"code": "timeout", "message": "checking took longer than the request "
                                           "time budget"}}, status_code=504)
        return JSONResponse(result)
