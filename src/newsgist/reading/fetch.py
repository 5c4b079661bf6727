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

SSRF guard -- how the connected address is checked
---------------------------------------------------
DNS resolution and the TCP connect happen in one place: :class:`_GuardedBackend`, an
``httpcore`` network backend plugged into the ``httpx`` transport. For every new
connection (first request and every redirect hop to a new origin) it resolves the
host with ``socket.getaddrinfo``, refuses the request if *any* resolved address is
non-public (loopback, private, link-local, multicast, reserved, unspecified,
shared/CGNAT ...; IPv4 embedded in IPv6 -- mapped, 6to4, Teredo, NAT64 -- is
unwrapped first), and then connects to the *vetted IP itself*, never to the name.
There is no second resolution that a DNS-rebinding attacker could answer
differently, and after connecting the peer address of the socket
(``getpeername()``) is checked again to be one of the vetted IPs. The hostname
still goes in the ``Host`` header and in TLS SNI/certificate verification, because
``httpcore`` passes the origin's hostname to ``start_tls``. Refusals happen before
any packet is sent to the blocked address. Environment proxies are ignored
(``trust_env=False``), so the connection cannot go through a proxy.

``allow_private_hosts=True`` turns the address check off (local testing);
``allowed_networks`` exempts selected networks (e.g. an intranet) while keeping it.
DNS lookups use the system resolver, which has no timeout of its own.
"""
from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from typing import Iterable, Optional

import httpcore
import httpx

from newsgist.errors import InputError, NewsgistError, TooLargeError

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
_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


# --- errors -------------------------------------------------------------------------

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


# --- address policy -----------------------------------------------------------------

def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 address (mapped, 6to4, Teredo, NAT64)."""
    out = []
    if ip.ipv4_mapped is not None:
        out.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        out.append(ip.sixtofour)
    if ip.teredo is not None:
        out.extend(ip.teredo)
    if ip in _NAT64_PREFIX:
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


def is_public_address(ip: "str | ipaddress.IPv4Address | ipaddress.IPv6Address") -> bool:
    """True if ``ip`` is a globally routable unicast address.

    False for loopback, private, link-local, multicast, reserved, unspecified,
    shared (CGNAT) and documentation ranges, and for IPv6 addresses that embed such
    an IPv4 address (``::ffff:127.0.0.1``, 6to4, Teredo, NAT64).
    """
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return is_public_address(ip.ipv4_mapped)     # ::ffff:a.b.c.d is a.b.c.d
    if (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:
            return False
        return all(is_public_address(v4) for v4 in _embedded_ipv4(ip))
    return True


@dataclass(frozen=True)
class AddressPolicy:
    """Which resolved addresses a connection may go to."""
    allow_private: bool = False
    allowed_networks: tuple = ()     # ip_network objects exempt from the block

    @classmethod
    def make(cls, allow_private: bool = False, allowed_networks: Iterable[str] = ()) -> "AddressPolicy":
        try:
            nets = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)
        except ValueError as exc:
            raise BadUrl(f"bad allowed network: {exc}") from exc
        return cls(allow_private, nets)

    def permits(self, ip: str) -> bool:
        if self.allow_private:
            return True
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
        if any(addr.version == net.version and addr in net for net in self.allowed_networks):
            return True
        return is_public_address(addr)

    def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return its addresses, all vetted; raise if any is blocked."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            raise DnsError(f"cannot resolve host '{host}': {exc.strerror or exc}") from exc
        except (UnicodeError, ValueError) as exc:
            raise BadUrl(f"invalid host name '{host}'") from exc
        addrs: list[str] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            ip = str(sockaddr[0])
            if ip not in addrs:
                addrs.append(ip)
        if not addrs:
            raise DnsError(f"host '{host}' has no address")
        blocked = [ip for ip in addrs if not self.permits(ip)]
        if blocked:
            raise BlockedAddress(
                f"refusing to fetch from '{host}': it resolves to non-public address {blocked[0]}")
        return addrs


def _same_ip(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_address(a.split("%", 1)[0]) == ipaddress.ip_address(b.split("%", 1)[0])
    except ValueError:
        return False


class _GuardedBackend(httpcore.SyncBackend):
    """Network backend that resolves, vets and connects to a vetted IP (see module doc)."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addrs = self.policy.resolve(host, port)
        last_exc: Optional[Exception] = None
        for ip in addrs:
            try:
                stream = super().connect_tcp(ip, port, timeout=timeout, local_address=local_address,
                                             socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_exc = exc
                continue
            peer = stream.get_extra_info("server_addr")
            peer_ip = str(peer[0]) if peer else ""
            if not (_same_ip(peer_ip, ip) and self.policy.permits(peer_ip)):
                stream.close()
                raise BlockedAddress(f"connected address {peer_ip or '?'} of '{host}' was not vetted")
            return stream
        assert last_exc is not None
        raise last_exc


class GuardedTransport(httpx.HTTPTransport):
    """``httpx`` transport whose connections all go through :class:`_GuardedBackend`."""

    def __init__(self, policy: AddressPolicy, verify: bool = True):
        super().__init__(verify=verify, trust_env=False)
        # httpx has no public hook for a network backend: replace the pool it built
        # (httpx 0.28 keeps it in ``_pool``; the tests fail loudly if that changes).
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("unsupported httpx version: HTTPTransport has no _pool")
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            network_backend=_GuardedBackend(policy),
            http1=True, http2=False, max_connections=4, max_keepalive_connections=2)


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
