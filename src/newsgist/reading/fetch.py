"""Safe fetching of a news page over HTTP(S).

:func:`fetch` downloads one page with ``httpx`` and returns a :class:`FetchResult`
with the decoded text. It is built for URLs supplied by untrusted users:

* only ``http``/``https``; connect, read and total timeouts; a clear User-Agent;
* redirects are followed by hand (at most ``max_redirects``), each hop re-validated;
* the body is streamed and reading stops as soon as it exceeds ``max_bytes``
  (a declared ``Content-Length`` over the cap is refused before reading);
* only HTML or plain text (``text/html``, ``application/xhtml+xml``, ``text/plain``);
* charset: BOM, else the ``Content-Type`` header, else ``<meta charset>`` /
  ``http-equiv`` in the first bytes, else strict UTF-8, else ``charset_normalizer``
  detection, and decoding with ``errors="replace"`` as the last resort.

Every connection goes through the SSRF guard of :mod:`newsgist.reading.netguard`:
each host is resolved once, refused if any address is non-public, and connected to
by the vetted IP. ``allow_private_hosts=True`` turns the address check off (local
testing); ``allowed_networks`` exempts selected networks (e.g. an intranet) while
keeping it. Failures raise the :class:`FetchError` subclasses of
:mod:`newsgist.reading.fetch_errors`, re-exported here.
"""
from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass, field
from typing import Iterable, Optional

import httpx

from newsgist.reading.fetch_errors import (
    BadUrl, BlockedAddress, DnsError, FetchError, FetchTimeout, HttpStatusError, ResponseTooLarge,
    TooManyRedirects, UnsupportedContentType,
)
from newsgist.reading.netguard import AddressPolicy, GuardedTransport, is_public_address

__all__ = [
    "DEFAULT_UA", "FetchResult", "fetch", "is_public_address", "AddressPolicy",
    "FetchError", "DnsError", "FetchTimeout", "HttpStatusError", "ResponseTooLarge",
    "UnsupportedContentType", "BlockedAddress", "BadUrl", "TooManyRedirects",
]

DEFAULT_UA = "newsgist/0.1 (+offline news summariser)"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_MAX_REDIRECTS = 5
#: Without an explicit ``total_timeout`` the whole fetch may take this many ``timeout``s.
TOTAL_TIMEOUT_FACTOR = 3
ALLOWED_SCHEMES = ("http", "https")
ACCEPTED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
#: How many leading bytes are searched for ``<meta charset>`` or sniffed for binary data.
CHARSET_SNIFF_BYTES = 4096
ACCEPT_HEADER = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
#: WHATWG Encoding: these labels mean windows-1252 on the web.
_CHARSET_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}   # keys: Python codec names
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


# --- result -------------------------------------------------------------------------

@dataclass
class FetchResult:
    url: str                 # the URL asked for
    final_url: str           # the URL after redirects
    status: int
    content_type: str        # media type without parameters, e.g. "text/html"
    charset: str             # the codec used to decode the body
    text: str
    redirects: list[str] = field(default_factory=list)   # each hop's target URL

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")


# --- helpers ------------------------------------------------------------------------------

def _check_url(url: "str | httpx.URL") -> httpx.URL:
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise BadUrl(f"invalid URL '{url}': {exc}") from exc
    if not parsed.scheme:
        raise BadUrl(f"URL '{url}' has no scheme (expected http:// or https://)")
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise BadUrl(f"unsupported URL scheme '{parsed.scheme}' (only http and https)")
    if not parsed.host:
        raise BadUrl(f"URL has no host: '{url}'")
    return parsed


def _media_type(header: Optional[str]) -> tuple[str, Optional[str]]:
    """(media type, charset param) of a Content-Type header value."""
    if not header:
        return "", None
    parts = header.split(";")
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("'\"") or None
    return parts[0].strip().lower(), charset


def _codec(label: Optional[str]) -> Optional[str]:
    """Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _CHARSET_ALIASES.get(name, name)


def _bom_codec(data: bytes) -> Optional[str]:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def decode_body(data: bytes, header_charset: Optional[str] = None) -> tuple[str, str]:
    """Decode a page body; returns ``(text, codec)`` (see module doc for the order)."""
    candidates = [_bom_codec(data), _codec(header_charset)]
    meta = _META_CHARSET_RE.search(data[:CHARSET_SNIFF_BYTES])
    if meta:
        candidates.append(_codec(meta.group(1).decode("ascii", "replace")))
    candidates.append("utf-8")
    # windows-1252 leaves 5 bytes undefined; its Latin-1 superset decodes anything
    candidates = [x for c in candidates for x in ((c, "iso8859-1") if c == "cp1252" else (c,))]
    for codec in candidates:
        if codec:
            try:
                return data.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                continue
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is not None and best.encoding:
            codec = _codec(best.encoding) or best.encoding
            return data.decode(codec, errors="replace"), codec
    except Exception:   # detection is best effort
        pass
    codec = next((c for c in candidates if c), "utf-8")
    return data.decode(codec, errors="replace"), codec


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:CHARSET_SNIFF_BYTES] and _bom_codec(data) != "utf-16"


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """Stream the body, stopping as soon as it exceeds ``max_bytes`` or the deadline."""
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"response is {int(declared)} bytes, over the {max_bytes}-byte limit")
    buf = bytearray()
    for chunk in response.iter_bytes():
        buf += chunk
        if len(buf) > max_bytes:
            raise ResponseTooLarge(f"response exceeds the {max_bytes}-byte limit")
        if time.monotonic() > deadline:
            raise FetchTimeout("fetching took longer than the total time limit")
    return bytes(buf)


# --- fetch ---------------------------------------------------------------------------------

def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          max_redirects: int = DEFAULT_MAX_REDIRECTS, allow_private_hosts: bool = False,
          user_agent: str = DEFAULT_UA, allowed_networks: Iterable[str] = (),
          total_timeout: Optional[float] = None, verify: bool = True) -> FetchResult:
    """Fetch an HTML or text page safely; see the module docstring.

    ``timeout`` bounds each connect/read/write; ``total_timeout`` (default
    ``TOTAL_TIMEOUT_FACTOR * timeout``) bounds the whole fetch, redirects included.
    Raises a :class:`FetchError` subclass on any failure.
    """
    current = _check_url(url)
    policy = AddressPolicy.make(allow_private_hosts, allowed_networks)
    deadline = time.monotonic() + (total_timeout if total_timeout is not None
                                   else TOTAL_TIMEOUT_FACTOR * timeout)
    headers = {"User-Agent": user_agent, "Accept": ACCEPT_HEADER,
               "Accept-Encoding": "gzip, deflate"}
    redirects: list[str] = []
    client = httpx.Client(transport=GuardedTransport(policy, verify=verify), headers=headers,
                          timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False)
    try:
        with client:
            for _hop in range(max_redirects + 1):
                if time.monotonic() > deadline:
                    raise FetchTimeout("fetching took longer than the total time limit")
                with client.stream("GET", current) as response:
                    status = response.status_code
                    if status in REDIRECT_STATUSES:
                        location = response.headers.get("location")
                        if not location:
                            raise HttpStatusError(f"HTTP {status} redirect without a Location", status)
                        try:
                            current = _check_url(response.url.join(location))
                        except httpx.InvalidURL as exc:
                            raise BadUrl(f"invalid redirect target '{location}'") from exc
                        redirects.append(str(current))
                        continue
                    if status >= 300:
                        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                        raise HttpStatusError(f"HTTP {status}{reason} for {response.url}", status)
                    media, header_charset = _media_type(response.headers.get("content-type"))
                    if media and media not in ACCEPTED_CONTENT_TYPES:
                        raise UnsupportedContentType(
                            f"unsupported content type '{media}' (expected HTML or text)")
                    data = _read_capped(response, max_bytes, deadline)
                    if not media:
                        if _looks_binary(data):
                            raise UnsupportedContentType("response has no content type and looks binary")
                        from newsgist.reading.htmlpage import looks_like_html
                        head = data[:CHARSET_SNIFF_BYTES].decode("latin-1")
                        media = "text/html" if looks_like_html(head) else "text/plain"
                    text, charset = decode_body(data, header_charset)
                    return FetchResult(url=str(url), final_url=str(response.url), status=status,
                                       content_type=media, charset=charset, text=text,
                                       redirects=redirects)
            raise TooManyRedirects(f"more than {max_redirects} redirects (last: {current})")
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"timed out fetching {current} ({type(exc).__name__})") from exc
    except httpx.InvalidURL as exc:
        raise BadUrl(f"invalid URL '{current}': {exc}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch {current}: {type(exc).__name__}: {exc}") from exc
