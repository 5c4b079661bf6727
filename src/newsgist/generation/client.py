"""A small client for OpenAI-compatible chat endpoints (llama.cpp's server, Ollama, vLLM,
hosted APIs): ``POST {base}/chat/completions`` and ``GET {base}/models``.

* **Time**: ``timeout`` bounds the whole call, retries and back-off included: each attempt
  gets what is left of it (connect and each read), and the answer's bytes are read
  against the same deadline.
* **Retries**: a refused/reset connection and the statuses in :data:`RETRY_STATUSES` are
  tried again, at most :data:`RETRIES` times, after ``BACKOFF_S * 2**attempt`` seconds
  (or the server's ``Retry-After``, when shorter than what is left); a timeout is not
  retried (the budget is spent), nor is any other status or a malformed answer.
* **The API key** comes from ``NEWSGIST_LLM_API_KEY`` (or the ``api_key`` argument) and is
  sent only as ``Authorization: Bearer``. It is never logged, never in an error message
  (an endpoint's error text that echoes it is scrubbed) and not in ``repr``; the URL in
  messages is shown without user info or query string.
* **Errors** are the typed ``LLM*`` errors of :mod:`newsgist.errors` (codes contain
  ``llm``), one line each.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from newsgist.errors import LLMBadReply, LLMHTTPError, LLMTimeout, LLMUnreachable

API_KEY_ENV = "NEWSGIST_LLM_API_KEY"
# Attempts after the first for a refused connection or a retryable status: two more
# tries ride out a server that is still loading its model or briefly overloaded, while
# a dead endpoint fails within ~1.5 s (0.5 + 1.0 s of back-off).
RETRIES = 2
BACKOFF_S = 0.5
# Statuses worth another try: the server is busy or restarting (OpenAI sends 429 and 5xx
# for load; llama.cpp's server answers 503 while it loads the model).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# An answer larger than this is not a few highlights: refused as a bad reply. 1 MB is
# ~500 times a reply of four highlights with its JSON envelope.
MAX_REPLY_BYTES = 1_000_000
# Characters of an endpoint's error text quoted in an error message.
ERROR_TEXT_CHARS = 200
# Model name sent when none is given and the endpoint lists none (llama.cpp's server
# serves its one model whatever the name).
FALLBACK_MODEL = "default"
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]+")

_MODELS: dict[str, str] = {}   # base URL -> the first model it lists (one GET per process)


def endpoint_label(url: str) -> str:
    """``url`` without user info, query or fragment: safe to show in a message."""
    try:
        p = urlsplit(url)
        host = p.hostname or "?"
        port = f":{p.port}" if p.port else ""
    except ValueError:
        return "the LLM endpoint"
    return f"{p.scheme}://{host}{port}{p.path}".rstrip("/")


@dataclass
class Reply:
    """One chat answer: the text, the model that wrote it, token counts when given."""
    text: str
    model: str
    usage: dict | None = None
    finish_reason: str | None = None
    attempts: int = 1
    seconds: float = 0.0
    raw: dict = field(default_factory=dict, repr=False)


class LLMClient:
    """``LLMClient(base_url, model=None, timeout=60).chat(messages, max_tokens=...)``."""

    def __init__(self, base_url: str, model: str | None = None, timeout: float = 60.0, *,
                 api_key: str | None = None, retries: int = RETRIES, backoff: float = BACKOFF_S,
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = float(timeout)
        self.retries, self.backoff = retries, backoff
        self._key = api_key if api_key is not None else (os.environ.get(API_KEY_ENV) or None)
        self._transport = transport
        self.label = endpoint_label(self.base_url)

    def __repr__(self) -> str:   # never the key
        return f"LLMClient({self.label!r}, model={self.model!r}, timeout={self.timeout:g})"

    # --- helpers ---------------------------------------------------------------------
    def _headers(self) -> dict:
        h = {"Accept": "application/json"}
        if self._key:
            h["Authorization"] = f"Bearer {self._key}"
        return h

    def _scrub(self, text: str) -> str:
        """An endpoint's text, safe to show: no key, no bearer token, one short line."""
        if self._key:
            text = text.replace(self._key, "[redacted]")
        text = _BEARER.sub(lambda m: f"{m.group(1)} [redacted]", text)
        text = " ".join(text.split())
        return text[:ERROR_TEXT_CHARS] + ("…" if len(text) > ERROR_TEXT_CHARS else "")

    def _client(self, remaining: float) -> httpx.Client:
        t = max(0.01, remaining)
        return httpx.Client(timeout=httpx.Timeout(t, connect=t), transport=self._transport,
                            follow_redirects=False, trust_env=False)

    def _request(self, method: str, path: str, body: dict | None, deadline: float) -> tuple[int, bytes, dict]:
        """One attempt: (status, body bytes, headers); raises httpx errors or LLMTimeout/LLMBadReply."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LLMTimeout(f"no answer from {self.label} within {self.timeout:g} s (--llm-timeout)")
        with self._client(remaining) as c:
            kw = {"json": body} if body is not None else {}
            with c.stream(method, self.base_url + path, headers=self._headers(), **kw) as r:
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > MAX_REPLY_BYTES:
                        raise LLMBadReply(f"{self.label} sent more than {MAX_REPLY_BYTES:,} bytes")
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline")
                return r.status_code, b"".join(chunks), dict(r.headers)

    def _call(self, method: str, path: str, body: dict | None) -> tuple[dict, int, float]:
        """The call with retries; returns (JSON answer, attempts, seconds)."""
        t0 = time.monotonic()
        deadline = t0 + self.timeout
        last = None
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2 ** attempt
            try:
                status, data, headers = self._request(method, path, body, deadline)
            except httpx.TimeoutException:
                raise LLMTimeout(f"no answer from {self.label} within {self.timeout:g} s (--llm-timeout)") from None
            except (httpx.TransportError, OSError) as exc:   # refused, reset, unknown host
                last = LLMUnreachable(f"cannot reach {self.label}: {self._scrub(type(exc).__name__ + ': ' + str(exc))}")
            else:
                if 200 <= status < 300:
                    try:
                        answer = json.loads(data)
                    except ValueError:
                        raise LLMBadReply(f"{self.label} answered with something that is not JSON: "
                                          f"{self._scrub(data.decode('utf-8', 'replace'))!r}") from None
                    if not isinstance(answer, dict):
                        raise LLMBadReply(f"{self.label} answered with JSON that is not an object")
                    return answer, attempt + 1, time.monotonic() - t0
                last = LLMHTTPError(f"{self.label} answered HTTP {status}: "
                                    f"{self._scrub(data.decode('utf-8', 'replace')) or '(no text)'}")
                if status not in RETRY_STATUSES:
                    raise last
                wait = _retry_after(headers, wait)
            if attempt == self.retries or time.monotonic() + wait >= deadline:
                break
            time.sleep(wait)
        raise last

    # --- the API ---------------------------------------------------------------------
    def resolve_model(self) -> str:
        """The model to ask for: the one given, else the first the endpoint lists."""
        if self.model:
            return self.model
        if self.base_url not in _MODELS:
            try:
                answer, _, _ = self._call("GET", "/models", None)
                listed = [m.get("id") for m in answer.get("data") or [] if isinstance(m, dict)]
                _MODELS[self.base_url] = next((m for m in listed if isinstance(m, str) and m), FALLBACK_MODEL)
            except (LLMHTTPError, LLMBadReply):   # no /models here: most servers then take any name
                _MODELS[self.base_url] = FALLBACK_MODEL
        return _MODELS[self.base_url]

    def chat(self, messages: list[dict], *, max_tokens: int, temperature: float = 0.0,
             seed: int | None = 0) -> Reply:
        """One chat completion (deterministic settings by default: temperature 0, a fixed seed)."""
        model = self.resolve_model()
        body = {"model": model, "messages": messages, "max_tokens": int(max_tokens),
                "temperature": temperature, "stream": False}
        if seed is not None:
            body["seed"] = seed
        answer, attempts, seconds = self._call("POST", "/chat/completions", body)
        try:
            choice = answer["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            err = answer.get("error")
            detail = f": {self._scrub(json.dumps(err))}" if err else ""
            raise LLMBadReply(f"{self.label} answered without choices[0].message.content{detail}") from None
        if not isinstance(content, str):
            raise LLMBadReply(f"{self.label} answered with a message content that is not text")
        usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else None
        if usage:
            usage = {k: v for k, v in usage.items() if k in ("prompt_tokens", "completion_tokens", "total_tokens")
                     and isinstance(v, int)} or None
        return Reply(content, str(answer.get("model") or model), usage, choice.get("finish_reason"),
                     attempts, seconds, answer)


def _retry_after(headers: dict, default: float) -> float:
    """The server's ``Retry-After`` (seconds) when it gives a number, else ``default``."""
    raw = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    try:
        return max(0.0, float(raw)) if raw is not None else default
    except ValueError:
        return default
