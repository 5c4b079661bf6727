"""The ``--generator llm`` flags, shared by ``card``, ``highlights`` and ``batch``.

``--llm-url`` and ``--llm-model`` default to ``NEWSGIST_LLM_URL`` / ``NEWSGIST_LLM_MODEL``;
the API key is read from ``NEWSGIST_LLM_API_KEY`` only (never a flag: flags show up in
``ps`` and shell history).
"""
from __future__ import annotations

import argparse
import os

from newsgist.options import (DEFAULT_LLM_CONCURRENCY, DEFAULT_LLM_TIMEOUT, GENERATORS, LLM_FALLBACKS,
                              UNSUPPORTED_POLICIES)

URL_ENV = "NEWSGIST_LLM_URL"
MODEL_ENV = "NEWSGIST_LLM_MODEL"


def add_llm_args(p: argparse.ArgumentParser, *, batch: bool = False) -> None:
    g = p.add_argument_group("LLM highlights (--generator llm; README: 'Use your own LLM')")
    g.add_argument("--generator", choices=GENERATORS, default="extractive",
                   help="extractive: sentences of the article; llm: lines written by an OpenAI-compatible "
                        "endpoint, each checked against the article (default: %(default)s)")
    g.add_argument("--llm-url", default=os.environ.get(URL_ENV) or None,
                   help=f"OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1 (default: ${URL_ENV}); "
                        "the API key, if any, comes from $NEWSGIST_LLM_API_KEY")
    g.add_argument("--llm-model", default=os.environ.get(MODEL_ENV) or None,
                   help=f"model name (default: ${MODEL_ENV}, else the endpoint's first model)")
    g.add_argument("--llm-timeout", type=float, default=DEFAULT_LLM_TIMEOUT,
                   help="seconds for the LLM's answer, retries included (default: %(default)g)")
    g.add_argument("--unsupported", choices=UNSUPPORTED_POLICIES, default="replace",
                   help="a generated line the checker does not support: replace it with the best extractive "
                        "highlight not already covered, drop it, or flag it (default: %(default)s)")
    g.add_argument("--llm-fallback", choices=LLM_FALLBACKS, default="none",
                   help="extractive: an LLM failure gives the extractive highlights with a warning instead "
                        "of an error (default: %(default)s)")
    if batch:
        g.add_argument("--llm-concurrency", type=int, default=DEFAULT_LLM_CONCURRENCY,
                       help="LLM calls in flight at once (worker processes, with --generator llm) "
                            "(default: %(default)s)")


def llm_options(args) -> dict:
    """The Options fields of the LLM flags."""
    out = {"generator": args.generator, "llm_url": args.llm_url, "llm_model": args.llm_model,
           "llm_timeout": args.llm_timeout, "unsupported": args.unsupported, "llm_fallback": args.llm_fallback}
    if getattr(args, "llm_concurrency", None) is not None:
        out["llm_concurrency"] = args.llm_concurrency
    return out
