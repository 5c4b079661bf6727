"""``POST /v1/story``: one story card from several articles (issue 29).

Body ``{articles: [{text | html | url, source, outlet, date, title}], options}``: each article
as for ``/v1/card`` (the same size limits; a ``url`` is fetched under the same rules). A fetch
that fails is listed in the card's ``meta.failed`` and the story goes on; so does an article
that cannot be read. ``options`` takes the story's ``count`` and ``words`` and any Options
field for reading each article. The answer is :func:`newsgist.story`'s card, each article with
its ``source_text`` (what its spans point into). The story runs on one worker process, under
the request's time budget, like a card.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Optional

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from newsgist.apps.service.check_route import ArticleInput
from newsgist.errors import NewsgistError, TooLargeError

PATH = "/v1/story"
PAGE = Path(__file__).with_name("web") / "story.html"   # GET /story: paste several reports, read the story card


class StoryArticle(ArticleInput):
    model_config = ConfigDict(extra="forbid")
    source: Optional[str] = Field(None, max_length=2048, description="where the article comes from (a name or URL)")
    outlet: Optional[str] = Field(None, max_length=200)
    date: Optional[str] = Field(None, max_length=64, description="publication date (ISO), for the timeline")
    title: Optional[str] = Field(None, max_length=1000)


class StoryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"articles": [{"text": "A ferry hit the pier on Tuesday, injuring 12 passengers, police said."},
                      {"text": "Seventeen passengers were hurt when a ferry hit the pier on Tuesday."}],
         "options": {"count": 5}}]})
    articles: list[StoryArticle] = Field(..., description="the reports of one story (1-200)")
    options: Optional[dict[str, Any]] = Field(None, description="count (1-20), words, and newsgist Options fields")


def add_story_route(app: FastAPI, engine, fetch: Callable, options_of: Callable, check_size: Callable,
                    client_of: Callable, *, responses: dict, retry_after: int) -> None:
    """Register ``POST /v1/story``; the other arguments are the service's own request path
    (:mod:`newsgist.apps.service.app`: its fetch, options and size checks, client key)."""

    @app.post(PATH, responses=responses, tags=["story"], summary="One story card from several articles",
              description="Story highlights with every source article and span, what each article adds, "
                          "disagreements (figures, speakers), quotes and entities merged, a timeline; "
                          "articles that fail are in meta.failed.")
    async def post_story(body: StoryRequest, request: Request):
        return await _answer(body, request)

    @app.get("/story", include_in_schema=False)
    async def story_page():
        return FileResponse(PAGE, media_type="text/html")

    async def _answer(body: StoryRequest, request: Request):
        from newsgist.story.build import StoryOptions
        from newsgist.story.load import MAX_ARTICLES, MAX_TOTAL_BYTES
        s = engine.settings
        deadline = time.monotonic() + s.request_timeout
        if len(body.articles) > MAX_ARTICLES:
            raise TooLargeError(f"a story takes at most {MAX_ARTICLES} articles, got {len(body.articles)}")
        raw = dict(body.options or {})
        own = {k: raw.pop(k) for k in ("count", "words", "highlights_only") if k in raw}
        options = options_of(raw, s)
        StoryOptions(card=options, **own)   # validate count/words here: a 422 before any fetch
        limit = min(options.max_bytes, s.max_input_bytes)
        items, positions, failed, total = [], [], [], 0
        for i, a in enumerate(body.articles):
            meta = {k: getattr(a, k) for k in ("source", "outlet", "date", "title") if getattr(a, k) is not None}
            try:
                if a.url is not None:
                    job = await fetch(engine, a.url, options, deadline)
                    item = {("html" if job["kind"] == "url" else "text"): job["text"], **meta}
                    item.setdefault("source", job.get("name") or a.url)
                else:
                    value = a.html if a.html is not None else a.text
                    check_size(value, limit, f"article {i}")
                    item = {("html" if a.html is not None else "text"): value, **meta}
            except TooLargeError:
                raise
            except NewsgistError as exc:
                failed.append({"input": i, "source": a.source or a.url, "error": exc.to_dict()})
                continue
            total += len((item.get("html") or item.get("text") or "").encode("utf-8", "surrogatepass"))
            if total > MAX_TOTAL_BYTES:
                raise TooLargeError(f"a story takes at most {MAX_TOTAL_BYTES // 1_000_000} MB of input in all")
            items.append(item)
            positions.append(i)
        job = {"kind": "story", "story": items, "positions": positions, "failed": failed,
               "options": options.to_dict(), "story_options": own, "highlights_only": False}
        status, data = await engine.run(job, deadline, client_of(request))
        headers = {"Retry-After": str(retry_after)} if status == 503 else None
        return Response(data, status_code=status, media_type="application/json", headers=headers)

