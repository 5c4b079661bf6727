"""The errors :mod:`newsgist.reading.fetch` raises, one class per way a fetch fails.

Each is a :class:`FetchError` (a ``NewsgistError``) with a stable ``code``, a CLI exit
code in 20-29 and an HTTP status; those caused by the input (a bad URL, a blocked
address, an unusable content type, an oversized response) are also ``InputError``.
They live apart from :mod:`~newsgist.reading.fetch` because the SSRF guard
(:mod:`newsgist.reading.netguard`) raises them as well; ``fetch`` re-exports them.
"""
from __future__ import annotations

from newsgist.errors import InputError, NewsgistError, TooLargeError

__all__ = [
    "FetchError", "DnsError", "FetchTimeout", "HttpStatusError", "ResponseTooLarge",
    "UnsupportedContentType", "BlockedAddress", "BadUrl", "TooManyRedirects",
]


class FetchError(NewsgistError):
    """The page could not be fetched (connection refused, protocol error ...)."""
    code = "fetch_failed"
    exit_code = 20
    http_status = 502


class DnsError(FetchError):
    """The host name could not be resolved."""
    code = "dns_failed"
    exit_code = 21


class FetchTimeout(FetchError):
    """Connecting or reading took longer than the timeout."""
    code = "fetch_timeout"
    exit_code = 22
    http_status = 504


class HttpStatusError(FetchError):
    """The server answered with an error status (4xx/5xx) or an unusable 3xx."""
    code = "http_error"
    exit_code = 23

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


class ResponseTooLarge(FetchError, TooLargeError):
    """The response body is larger than ``max_bytes`` (also a ``TooLargeError``)."""
    code = "response_too_large"
    exit_code = 24
    http_status = 413


class UnsupportedContentType(FetchError, InputError):
    """The response is not HTML or text (an image, a PDF ...)."""
    code = "unsupported_content_type"
    exit_code = 25
    http_status = 415


class BlockedAddress(FetchError, InputError):
    """The host resolves to a non-public address (SSRF guard)."""
    code = "blocked_address"
    exit_code = 26
    http_status = 400


class BadUrl(FetchError, InputError):
    """The URL is malformed or its scheme is not http/https."""
    code = "bad_url"
    exit_code = 27
    http_status = 400


class TooManyRedirects(FetchError):
    """The redirect chain is longer than ``max_redirects``."""
    code = "too_many_redirects"
    exit_code = 28

