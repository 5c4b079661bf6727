"""``newsgist serve``: run the HTTP service (FastAPI on uvicorn).

Needs the ``serve`` extra (``pip install 'newsgist[serve]'``: fastapi, uvicorn).
Flags override ``NEWSGIST_*`` environment variables, which override the defaults
in :class:`newsgist.apps.service.app.Settings`. ``--workers`` is the number of pipeline
worker processes (one uvicorn process serves HTTP and hands the work to them).
"""
from __future__ import annotations

import argparse

from newsgist.errors import NewsgistError

COMMAND = "serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


class ServeUnavailable(NewsgistError):
    code = "serve_unavailable"
    exit_code = 11


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        COMMAND, help="run the HTTP service and web page (needs the 'serve' extra)",
        description="Serve POST /v1/card and /v1/highlights, /healthz, /version, /docs and a web page at /. "
                    "Flags override NEWSGIST_* environment variables.")
    p.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to bind (default: %(default)s)")
    p.add_argument("--workers", type=int, default=None,
                   help="pipeline worker processes, each with its own models (default: CPU count, at most 4)")
    p.add_argument("--timeout", type=float, default=None, dest="request_timeout",
                   help="time budget per request in seconds (default: 20)")
    p.add_argument("--max-body-bytes", type=int, default=None, help="largest request body (default: 10000000)")
    p.add_argument("--max-card-chars", type=int, default=None,
                   help="longest text /v1/card parses (default: 100000)")
    p.add_argument("--fetch-timeout", type=float, default=None, help="URL input: connect/read timeout (default: 10)")
    p.add_argument("--allow-private-hosts", action="store_true", default=None,
                   help="URL input may reach loopback/private addresses (testing only; off by default)")
    p.add_argument("--heavy-workers", type=int, default=None,
                   help="extra, niced worker processes for large inputs and slow jobs; 0: one lane (default: 1)")
    p.add_argument("--max-client-requests", type=int, default=None,
                   help="requests one client IP may have in flight; more get a 429 (default: 4)")
    p.add_argument("--long-job-s", type=float, default=None,
                   help="CPU seconds after which a job on a normal worker moves to the heavy workers (default: 0.5)")
    p.add_argument("--client-ip-header", default=None,
                   help="behind a trusted proxy: the header naming the client, e.g. X-Forwarded-For")
    p.add_argument("--pool", choices=("process", "thread"), default=None,
                   help="run the pipeline in worker processes (default) or threads")
    p.add_argument("--llm-url", default=None,
                   help="OpenAI-compatible endpoint for requests with generator 'llm' (key: $NEWSGIST_LLM_API_KEY)")
    p.add_argument("--llm-model", default=None, help="its model (default: the endpoint's first)")
    p.add_argument("--llm-timeout", type=float, default=None, help="seconds for the LLM's answer (default: 15)")
    p.add_argument("--log-level", choices=LOG_LEVELS, default="info", help="uvicorn log level (default: %(default)s)")
    return p


def run(args) -> int:
    try:
        import uvicorn
        from newsgist.apps.service.app import Settings, create_app
    except ImportError as exc:
        raise ServeUnavailable(f"the HTTP service needs the 'serve' extra ({exc.name} is missing): "
                               "pip install 'newsgist[serve]'") from None
    try:
        settings = Settings.from_env(
            workers=args.workers, request_timeout=args.request_timeout, max_body_bytes=args.max_body_bytes,
            max_card_chars=args.max_card_chars, fetch_timeout=args.fetch_timeout,
            allow_private_hosts=args.allow_private_hosts, pool=args.pool, heavy_workers=args.heavy_workers,
            max_client_requests=args.max_client_requests, long_job_s=args.long_job_s,
            client_ip_header=args.client_ip_header, llm_url=args.llm_url, llm_model=args.llm_model,
            llm_timeout=args.llm_timeout)
    except ValueError as exc:
        from newsgist.errors import OptionsError
        raise OptionsError(f"bad server setting: {exc}") from None
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level,
                timeout_graceful_shutdown=5)
    return 0
