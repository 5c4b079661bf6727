"""The HTTP service: FastAPI app behind ``newsgist serve``.

Endpoints
---------
``POST /v1/card``        JSON ``{text | html | url, options}`` -> the story card JSON
``POST /v1/highlights``  same body -> the card without the NLP extras (fast)
``GET /healthz``         ``{"status": "ok", ...}`` once the workers are warm (503 while not)
``GET /version``         ``{"name", "version", "api", "methods"}``
``GET /``                the web page (``newsgist/web/``); ``/static/*`` its assets
``GET /openapi.json``, ``GET /docs``  the OpenAPI schema and Swagger UI (served locally
                         from ``/static/swagger``; see :mod:`newsgist.apps.service.docs`)

Exactly one of ``text``, ``html`` or ``url`` is given; ``options`` holds
:class:`~newsgist.options.Options` fields (``count``, ``method``, ``max_words``,
``quotes``, ``entities``, ``figures``, ``max_bytes``, ``fetch_timeout``, ``generator``,
``llm_model``, ``unsupported``, ``llm_fallback``; ``format`` and ``encoding`` are accepted
and ignored, the answer is always JSON). The LLM endpoint of ``generator: "llm"`` is a
server setting (``newsgist serve --llm-url``; ``llm_url``/``llm_timeout`` in a request are
a 422); its failures are 502 (``llm_unreachable``, ``llm_http_error``, ``llm_bad_reply``)
or 504 (``llm_timeout``).
``allow_private_hosts`` is a *server* setting: a request asking for it while the
server refuses private hosts gets a 422.

The answer is ``Article.to_dict()``. Every span (``start``/``end``) points into the
text the article was read from. For ``text`` input that is the text sent (newlines
normalised to ``\\n``); for ``html`` and ``url`` input it is the extracted page text,
which the service adds to the answer as ``source_text``. ``source_text`` is also
added when a ``text`` input was changed (CRLF, a BOM, or pasted HTML), so a client
can always use ``card.get("source_text", text)[start:end]``.

Errors are ``{"error": {"code": ..., "message": ...}}`` with the error's HTTP
status: 400 bad input, 413 too large, 415 not HTML, 422 validation/options,
502 fetch failed, 429 too many requests from this client, 503 overloaded, 504 fetch
or processing timeout; a 500 is a bug. 429 and 503 carry ``Retry-After``.

Limits (``Settings``; environment ``NEWSGIST_*`` or ``newsgist serve`` flags)
----------------------------------------------------------------------------
* request body: ``max_body_bytes`` (10 MB) -- refused by ``Content-Length`` before
  reading, and while streaming a body without one;
* input text/HTML: ``max_input_bytes`` (8 MB, the library's cap), also
  ``options.max_bytes`` if lower; ``/v1/card`` parses at most ``max_card_chars``
  (100,000 characters, ~8 s of spaCy; longer texts get a 413 pointing at
  ``/v1/highlights``);
* time: ``request_timeout`` (20 s) for the whole request -- queueing for a worker
  past it is a 503 ``overloaded``, processing past it a 504 ``timeout`` (the worker
  is stopped at the deadline, see below); URL fetches also stop at
  ``fetch_timeout`` (10 s per connect/read) and at the request deadline;
* concurrency: ``workers`` normal worker processes (CPU count, at most 4) plus
  ``heavy_workers`` (1, niced) for large inputs and slow jobs run the pipeline, each with
  the models loaded once at start-up; one client (IP address, or ``client_ip_header``
  behind a proxy) has at most ``max_client_requests`` (4) requests in flight, more get a
  429 ``too_many_requests`` with ``Retry-After``; waiting jobs are served least recent
  use first, at most ``max_queue`` (64 per worker) wait (more get a 503 at once); a job
  that has used ``long_job_s`` (1 CPU second) on a normal worker moves to the heavy workers, and
  so does every job of its client for a minute. Before a job runs, a shape check
  (:mod:`newsgist.apps.service.admission`) sends one that will be slow straight to the
  heavy workers, where a client has at most ``max_client_heavy`` (1) in flight and at
  most ``max_heavy_queue`` wait; a worker grown past ``worker_rss_factor`` (1.5) times
  its warm RSS is replaced between jobs (``/healthz`` ``lanes.why`` counts what was
  routed, refused, moved, stopped, killed and replaced). A long article never blocks ``/healthz``
  or the event loop, and a few slow requests cannot starve the others. A job past its
  deadline is stopped (SIGUSR1), its worker killed and replaced if it has not stopped
  ``DEADLINE_GRACE_S`` later; a dead worker gives a 503 ``worker_lost`` and is replaced.
  The scheduler is :mod:`newsgist.apps.service.pool`. ``pool="thread"`` runs jobs in
  threads instead (no deadline enforcement inside a job; for tests and embedding).

Workers are started with ``spawn``: a script that calls :func:`create_app` needs the
usual ``if __name__ == "__main__":`` guard (``newsgist serve`` has it).
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from newsgist.version import __version__
from newsgist.errors import EmptyInputError, NewsgistError, OptionsError, TooLargeError
from newsgist.apps.service.check_route import ArticleInput, add_check_route
from newsgist.apps.service.story_route import add_story_route
from newsgist.apps.service.docs import add_docs
from newsgist.apps.service.engine import (DEADLINE_GRACE_S, DEFAULT_FETCH_TIMEOUT_S, DEFAULT_MAX_BODY_BYTES,
                             DEFAULT_MAX_CARD_CHARS, DEFAULT_MAX_FETCH_BYTES, DEFAULT_REQUEST_TIMEOUT_S,
                             MAX_CONCURRENT_FETCHES, MAX_DEFAULT_WORKERS, PARENT_CHECK_S,
                             QUEUE_PER_WORKER, SHUTDOWN_TIMEOUT_S, STARTUP_TIMEOUT_S, WARMUP_ARTICLE,
                             Overloaded, ProcessingTimeout, Settings, TooManyRequests, ValidationFailed, WorkerLost,
                             error_body, init_worker, process_job, worker_pid)
from newsgist.apps.service.pool import Engine
from newsgist.apps.service.middleware import (PAGE_CSP, RETRY_AFTER_S, BodyLimit, ClientCap, SecurityHeaders,
                                              client_key)

log = logging.getLogger("newsgist.apps.service.app")

#: The pool, its settings and errors live in ``service_engine`` (no FastAPI there, so the
#: spawned workers do not import it) and the offline /docs in ``service_docs``; the public
#: names stay importable from here.
__all__ = ["API_VERSION", "BodyLimit", "CardRequest", "DEADLINE_GRACE_S", "DEFAULT_FETCH_TIMEOUT_S",
           "DEFAULT_MAX_BODY_BYTES", "DEFAULT_MAX_CARD_CHARS", "DEFAULT_MAX_FETCH_BYTES",
           "DEFAULT_REQUEST_TIMEOUT_S", "Engine", "ErrorDetail", "ErrorResponse", "TooManyRequests",
           "JSON_MEDIA", "MAX_CONCURRENT_FETCHES", "MAX_DEFAULT_WORKERS", "Overloaded", "PAGE_CSP",
           "PARENT_CHECK_S", "ProcessingTimeout", "QUEUE_PER_WORKER", "RETRY_AFTER_S", "SHUTDOWN_TIMEOUT_S",
           "STARTUP_TIMEOUT_S", "ClientCap", "SecurityHeaders", "Settings", "ValidationFailed", "WARMUP_ARTICLE",
           "WEB_DIR", "WorkerLost", "client_key", "create_app", "error_body", "handle", "init_worker", "process_job",
           "worker_pid"]

WEB_DIR = Path(__file__).with_name("web")
API_VERSION = "v1"
JSON_MEDIA = "application/json"


# --- request handling ---------------------------------------------------------------

#: Options a request may not set: the LLM endpoint and its limits are the server's.
SERVER_LLM_OPTIONS = ("llm_url", "llm_timeout", "llm_concurrency")


def _options(raw: Optional[dict], settings: Settings):
    from newsgist.options import Options
    raw = dict(raw or {})
    for name in SERVER_LLM_OPTIONS:
        if name in raw:
            raise OptionsError(f"{name} is a server setting (newsgist serve --llm-url/--llm-timeout)")
    if raw.get("generator") == "llm" and not settings.llm_url:
        raise OptionsError("generator llm is not available: this server has no LLM endpoint (--llm-url)")
    if settings.llm_url:
        raw.update(llm_url=settings.llm_url, llm_timeout=min(settings.llm_timeout, settings.request_timeout))
        raw.setdefault("llm_model", settings.llm_model)
    options = Options.from_dict(raw)
    if options.allow_private_hosts and not settings.allow_private_hosts:
        raise OptionsError("allow_private_hosts is a server setting and is off on this server")
    return options.replace(allow_private_hosts=settings.allow_private_hosts)


def _check_size(value: str, limit: int, what: str) -> None:
    if not value.strip():
        raise EmptyInputError(f"{what} is empty")
    if len(value) > limit // 4 and len(value.encode("utf-8", "surrogatepass")) > limit:
        raise TooLargeError(f"{what} is larger than the {limit:,}-byte limit")


async def _fetch(engine: Engine, url: str, options, deadline: float) -> dict:
    """Fetch ``url`` in a thread, bounded by the fetch settings and the request deadline."""
    from newsgist.reading.fetch import FetchTimeout, fetch
    s = engine.settings
    remaining = deadline - time.monotonic()
    timeout = max(0.05, min(options.fetch_timeout, s.fetch_timeout, remaining))
    call = lambda: fetch(url.strip(), timeout=timeout, total_timeout=max(0.05, remaining),  # noqa: E731
                         max_bytes=min(options.max_bytes, s.max_fetch_bytes),
                         allow_private_hosts=s.allow_private_hosts)
    try:
        async with engine.fetch_slots:
            res = await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(engine.fetcher, call),
                                         max(0.05, remaining) + DEADLINE_GRACE_S)
    except asyncio.TimeoutError:
        raise FetchTimeout(f"fetching {url} took longer than the request time budget") from None
    kind = "url" if res.is_html else "text"
    return {"kind": kind, "text": res.text, "name": res.final_url, "encoding": res.charset,
            "html": res.text if kind == "url" else None}


async def handle(engine: Engine, body, highlights_only: bool, client: str = "-", summary=None):
    """Validate, fetch if needed, run the pipeline on a worker for ``client``; returns
    ``(status, bytes)``. With ``summary`` the worker checks it against the article
    (``POST /v1/check``) instead of building the card."""
    s = engine.settings
    deadline = time.monotonic() + s.request_timeout
    options = _options(body.options, s)
    limit = min(options.max_bytes, s.max_input_bytes)
    if body.url is not None:
        job = await _fetch(engine, body.url, options, deadline)
    elif body.html is not None:
        _check_size(body.html, limit, "html")
        job = {"kind": "html", "text": body.html, "html": body.html}
    else:
        _check_size(body.text, limit, "text")
        job = {"kind": "text", "text": body.text}
    job.update(options=options.to_dict(), highlights_only=highlights_only, max_card_chars=s.max_card_chars)
    if summary is not None:
        job["summary"] = summary
    return await engine.run(job, deadline, client)


class CardRequest(ArticleInput):
    """The body of ``POST /v1/card`` and ``POST /v1/highlights``."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "LONDON (CNN) -- The council approved the plan on Monday, officials said. ...",
         "options": {"count": 3}}]})
    options: Optional[dict[str, Any]] = Field(None, description=(
        "newsgist Options fields: method, count (1-10), max_words, quotes, entities, figures, "
        "max_bytes, fetch_timeout; unknown or bad values are a 422"))


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


_ERROR_RESPONSES = {status: {"model": ErrorResponse, "description": text} for status, text in (
    (400, "bad input: empty, binary, no article text, bad URL or blocked host"),
    (413, "the request body, the input or the fetched page is too large"),
    (415, "the URL's content is not HTML or text"),
    (422, "validation: exactly one of text/html/url, known options with valid values"),
    (429, "this client has too many requests in flight (see Retry-After)"),
    (502, "the URL could not be fetched"), (503, "overloaded: no worker free within the time budget"),
    (504, "fetch or processing timeout"))}
_CARD_DOC = ("Returns the card: highlights [{text,start,end,score}], quotes, entities, figures, removed, "
             "body {text, paragraphs, sentences}, meta. Spans count code points in the source text: the text "
             "sent, or source_text, which is added for html/url input and for text the service normalised "
             "(CRLF, BOM, pasted HTML).")


_STATUS_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: TooLargeError.code,
                 415: "unsupported_media_type", 422: ValidationFailed.code}


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "bad_json", "the request body is not valid JSON"
    if any(isinstance(e.get("input"), (bytes, bytearray)) for e in errors):   # a non-JSON Content-Type
        return 415, _STATUS_CODES[415], "send the request body as JSON (Content-Type: application/json)"
    parts = []
    for e in errors[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return 422, ValidationFailed.code, "; ".join(parts) or "invalid request"


def create_app(settings: Optional[Settings] = None, *, target=None, warm: bool = True) -> FastAPI:
    """Build the FastAPI app (``settings`` default: :meth:`Settings.from_env`).

    ``target`` (a module-level function ``job -> (status, bytes)``) replaces the pipeline in
    the workers and ``warm=False`` skips loading the models: for tests of the scheduler."""
    settings = settings or Settings.from_env()
    engine = Engine(settings, target=target, warm=warm)

    @asynccontextmanager
    async def lifespan(app):
        await engine.start()
        try:
            yield
        finally:
            await engine.stop()

    app = FastAPI(title="newsgist", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Story highlights, quotes, entities and key figures from a news article. "
                              "Every output carries start/end offsets into the source text.")
    app.state.engine = engine
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ClientCap, engine=engine)
    app.add_middleware(SecurityHeaders)

    def err(status: int, code: str, message: str, retry: bool = False) -> JSONResponse:
        headers = {"Retry-After": str(RETRY_AFTER_S)} if retry else None
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)

    @app.exception_handler(NewsgistError)
    async def _newsgist_error(request, exc: NewsgistError):
        return err(exc.http_status, exc.code, exc.message, retry=exc.http_status in (429, 503))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request, exc: RequestValidationError):
        return err(*_validation_message(exc))

    @app.exception_handler(HTTPException)
    async def _http_error(request, exc: HTTPException):
        return err(exc.status_code, _STATUS_CODES.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(Exception)
    async def _internal_error(request, exc: Exception):
        log.exception("unexpected error")
        return err(500, "internal_error", f"internal error ({type(exc).__name__})")

    async def answer(body, highlights_only: bool, request: Request, summary=None) -> Response:
        status, data = await handle(engine, body, highlights_only, client_key(request.scope, settings), summary)
        headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
        return Response(data, status_code=status, media_type=JSON_MEDIA, headers=headers)

    @app.post(f"/{API_VERSION}/card", responses=_ERROR_RESPONSES, summary="The full story card",
              description=_CARD_DOC, tags=["card"])
    async def post_card(body: CardRequest, request: Request) -> Response:
        return await answer(body, False, request)

    @app.post(f"/{API_VERSION}/highlights", responses=_ERROR_RESPONSES, tags=["card"],
              summary="Highlights only (no quotes/entities/figures; fast)", description=_CARD_DOC)
    async def post_highlights(body: CardRequest, request: Request) -> Response:
        return await answer(body, True, request)

    add_check_route(app, answer, responses=_ERROR_RESPONSES)
    add_story_route(app, engine, _fetch, _options, _check_size, lambda request: client_key(request.scope, settings),
                    responses=_ERROR_RESPONSES, retry_after=RETRY_AFTER_S)

    @app.get("/healthz", tags=["service"], summary="Liveness and readiness")
    async def healthz():
        data = {"status": "ok" if engine.ready else "starting", "ready": engine.ready, "pool": settings.pool,
                "workers": settings.workers, "busy": engine.busy, "waiting": engine.waiting,
                "lanes": engine.describe()}
        return JSONResponse(data, status_code=200 if engine.ready else 503)

    @app.get("/version", tags=["service"], summary="Package and API version, highlight methods")
    async def version():
        from newsgist.highlighting.methods import method_names
        return {"name": "newsgist", "version": __version__, "api": API_VERSION, "methods": method_names(),
                "generators": ["extractive", "llm"] if settings.llm_url else ["extractive"]}

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    add_docs(app)   # /docs with Swagger UI from /static/swagger (no CDN); mounted before /static
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app
