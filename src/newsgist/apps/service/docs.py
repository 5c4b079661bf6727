"""``GET /docs``: Swagger UI served by the app itself, so it works offline.

The Swagger UI files come from the ``swagger_ui_bundle`` module (its ``swagger_ui_path``
folder) and are mounted at ``/static/swagger``; FastAPI's own ``/docs`` (which loads them
from a CDN) is turned off in :func:`newsgist.apps.service.app.create_app`. The ``serve`` extra pins
``swagger-ui-bundle-v2`` (Swagger UI 5), which provides that module: ``swagger-ui-bundle``
1.1.0 provides it too but ships Swagger UI 4.15, which cannot render FastAPI's OpenAPI 3.1
schema. Without the module, ``/docs`` is a plain page linking ``/openapi.json``.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

log = logging.getLogger("newsgist.apps.service.app")

DOCS_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
#: Where the Swagger UI files are mounted; before ``/static`` (the web page's assets).
SWAGGER_STATIC_URL = "/static/swagger"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


def swagger_ui_dir() -> Optional[Path]:
    """The folder of Swagger UI files from ``swagger_ui_bundle``, or None when it is missing."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    path = Path(swagger_ui_path)
    return path if all((path / name).is_file() for name in SWAGGER_FILES) else None


def _fallback_page(title: str, openapi_url: str) -> HTMLResponse:
    url = html.escape(openapi_url)
    return HTMLResponse(f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><h1>{html.escape(title)}</h1>
<p>The interactive API docs need the <code>swagger-ui-bundle-v2</code> package
(<code>pip install 'newsgist[serve]'</code>). The OpenAPI schema is at
<a href="{url}">{url}</a>.</p></body></html>
""")


def add_docs(app: FastAPI) -> None:
    """Add ``/docs`` (and ``/docs/oauth2-redirect``) to ``app``, which was made with ``docs_url=None``.

    Call it before mounting ``/static``, so ``/static/swagger`` is matched first."""
    files = swagger_ui_dir()
    if files is None:
        log.warning("swagger_ui_bundle is not installed: /docs is a plain page linking %s", app.openapi_url)
    else:
        app.mount(SWAGGER_STATIC_URL, StaticFiles(directory=files), name="swagger")

    async def swagger_ui_html(request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        title = f"{app.title} - Swagger UI"
        if files is None:
            return _fallback_page(title, root + app.openapi_url)
        static = root + SWAGGER_STATIC_URL
        return get_swagger_ui_html(
            openapi_url=root + app.openapi_url, title=title,
            swagger_js_url=f"{static}/swagger-ui-bundle.js", swagger_css_url=f"{static}/swagger-ui.css",
            swagger_favicon_url=f"{static}/favicon-32x32.png", oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
            init_oauth=app.swagger_ui_init_oauth, swagger_ui_parameters=app.swagger_ui_parameters)

    async def swagger_ui_redirect(request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.add_route(DOCS_URL, swagger_ui_html, include_in_schema=False)
    app.add_route(OAUTH2_REDIRECT_URL, swagger_ui_redirect, include_in_schema=False)
