"""ASGI middleware of the HTTP service and the client key: the body limit (413 before
reading), the per-client cap (429 before reading), the security headers. Used by
:func:`newsgist.apps.service.app.create_app`.
"""
from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from newsgist.errors import TooLargeError
from newsgist.apps.service.engine import Settings, TooManyRequests, error_body

#: Seconds a 429 or 503 answer asks the client to wait (``Retry-After``).
RETRY_AFTER_S = 1
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def client_key(scope: dict, settings: Settings) -> str:
    """The client a request counts against: the peer address, or behind a trusted proxy the
    first address of ``settings.client_ip_header`` (e.g. ``X-Forwarded-For``)."""
    if settings.client_ip_header:
        name = settings.client_ip_header.lower().encode("latin-1")
        for key, value in scope.get("headers") or ():
            if key == name:
                forwarded = value.decode("latin-1").split(",")[0].strip()
                if forwarded:
                    return forwarded
    client = scope.get("client")
    return client[0] if client else "-"


class BodyLimit:
    """ASGI middleware: 413 for a declared Content-Length over the limit (before reading),
    and for a streamed body that grows past it."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.max_bytes):
            bad = not declared.strip().isdigit()
            resp = JSONResponse(error_body("bad_request" if bad else TooLargeError.code,
                                           "bad Content-Length" if bad else self._message()),
                                status_code=400 if bad else 413)
            return await resp(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:   # FastAPI re-raises an HTTPException from body reading
                    raise HTTPException(413, self._message())
            return message
        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"request body is larger than the {self.max_bytes:,}-byte limit"


class ClientCap:
    """ASGI middleware: a client already at ``max_client_requests`` (``max_client_heavy`` for a
    client counted as heavy) gets its 429 before its body is read and parsed (the engine
    checks again when the job is submitted)."""

    def __init__(self, app, engine):
        self.app, self.engine = app, engine

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method") == "POST":
            client = client_key(scope, self.engine.settings)
            cap = self.engine.client_cap(client)   # lower for a client counted as heavy
            n = self.engine.inflight[client]
            if n >= cap:
                self.engine.why["refused"]["client_cap_before_body" if cap == self.engine.settings.max_client_requests
                                           else "heavy_client_cap_before_body"] += 1
                resp = JSONResponse(error_body(TooManyRequests.code, f"this client already has {n} requests in "
                                               f"flight (at most {cap}); retry when one has finished"),
                                    status_code=429, headers={"Retry-After": str(RETRY_AFTER_S)})
                return await resp(scope, receive, send)
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: ``nosniff`` everywhere; a strict CSP on the web page and its assets."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        extra = [(b"x-content-type-options", b"nosniff")]
        if path == "/" or path.startswith("/static/"):
            extra += [(b"content-security-policy", PAGE_CSP.encode()), (b"referrer-policy", b"no-referrer")]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)
        await self.app(scope, receive, send_with_headers)
