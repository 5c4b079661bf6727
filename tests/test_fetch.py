"""Tests for newsgist.reading.fetch against a local HTTP server on 127.0.0.1 (no internet).

The server is on loopback, so tests pass ``allow_private_hosts=True`` (or exempt
127.0.0.0/8 with ``allowed_networks``) except where they prove that loopback and
other non-public addresses are refused.
"""
from __future__ import annotations

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore
import pytest

from newsgist import errors
from newsgist.reading import fetch as fetch_mod
from newsgist.reading.fetch import (
    DEFAULT_UA, BadUrl, BlockedAddress, DnsError, FetchError, FetchTimeout, HttpStatusError,
    ResponseTooLarge, TooManyRedirects, UnsupportedContentType, decode_body, fetch,
)
from newsgist.reading.netguard import is_public_address

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ARTICLE = (FIXTURES / "story_highlights.html").read_bytes()
BIG_SIZE = 10_000_000
BIG_FIRST_PART = 6_000_000       # sent at once; the rest only after the test releases it
CHUNK = 64 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
LATIN1_PAGE = ('<html><head><meta charset="iso-8859-1"><title>Café</title></head>'
               "<body><p>Le Café de la Gare a rouvert ses portes.</p></body></html>").encode("latin-1")
LOOPBACK = ["127.0.0.0/8"]
LOCAL = dict(allow_private_hosts=True, timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):     # keep test output quiet
        pass

    def _send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location, status=302):
        self._send(status, b"", headers={"Location": location})

    def _stream(self, total, first_part, ctype="text/html", declared=False):
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if declared:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        block = b"<p>" + b"x" * (CHUNK - 8) + b"</p>\n\n"
        try:
            while state.sent < total:
                if state.sent >= first_part:
                    state.release.wait(10)
                self.wfile.write(block)
                state.sent += len(block)
        except OSError:
            pass

    def do_GET(self):  # noqa: C901 - a routing table
        state = self.server.state
        state.requests.append((self.path, dict(self.headers)))
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE)
        elif path.startswith("/hops/"):
            n = int(path.rsplit("/", 1)[1])        # /hops/n redirects n times
            self._redirect(f"/hops/{n - 1}" if n > 1 else "/article")
        elif path == "/redirect-private":
            self._redirect("http://10.0.0.1/admin")
        elif path == "/redirect-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/", status=301)
        elif path == "/redirect-ftp":
            self._redirect("ftp://files.example.com/x")
        elif path == "/redirect-no-location":
            self._send(302, b"")
        elif path == "/big":
            self._stream(BIG_SIZE, BIG_FIRST_PART)
        elif path == "/big-declared":
            self._stream(BIG_SIZE, CHUNK, declared=True)
        elif path == "/image":
            self._send(200, PNG, ctype="image/png")
        elif path == "/slow":
            state.release.wait(5)
            self._send(200, ARTICLE)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                while not state.release.wait(0.1):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
        elif path == "/latin1":
            self._send(200, LATIN1_PAGE, ctype="text/html")
        elif path == "/latin1-header":
            self._send(200, "<p>Un café, s'il vous plaît.</p>".encode("latin-1"),
                       ctype="text/html; charset=ISO-8859-1")
        elif path == "/utf8-undeclared":
            self._send(200, "<html><body><p>Café crème à Zürich.</p></body></html>".encode(),
                       ctype="text/html")
        elif path == "/no-ctype":
            self._send(200, ARTICLE, ctype=None)
        elif path == "/no-ctype-binary":
            self._send(200, PNG, ctype=None)
        elif path == "/plain":
            self._send(200, b"Plain text story.\n\nSecond paragraph.", ctype="text/plain")
        elif path == "/gzip":
            self._send(200, gzip.compress(ARTICLE), headers={"Content-Encoding": "gzip"})
        elif path == "/echo":
            lines = [f"{k}: {v}" for k, v in self.headers.items()]
            self._send(200, "\n".join(lines).encode(), ctype="text/plain")
        elif path == "/404":
            self._send(404, b"<h1>Not found</h1>")
        elif path == "/500":
            self._send(500, b"<h1>Server error</h1>")
        else:
            self._send(404, b"no route")


class _State:
    def __init__(self):
        self.requests: list = []
        self.sent = 0
        self.release = threading.Event()


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.state = _State()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.port = httpd.server_address[1]
    try:
        yield httpd
    finally:
        httpd.state.release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def connects(monkeypatch):
    """Record every address a socket connects to in this test."""
    seen: list = []
    original = socket.socket.connect

    def recording_connect(self, address):
        seen.append(address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    return seen


def fake_dns(monkeypatch, table: dict[str, list[str]]):
    """Answer getaddrinfo for the names in ``table``; everything else resolves normally."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            out = []
            for ip in table[host]:
                fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
                addr = (ip, port, 0, 0) if fam == socket.AF_INET6 else (ip, port)
                out.append((fam, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", addr))
            return out
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# --- normal fetches ------------------------------------------------------------------

def test_fetch_article(server):
    res = fetch(server.base + "/article", **LOCAL)
    assert res.status == 200 and res.content_type == "text/html" and res.is_html
    assert res.charset == "utf-8"
    assert "Marlow Bay" in res.text and res.final_url == server.base + "/article"
    assert res.redirects == []


def test_user_agent_sent(server):
    res = fetch(server.base + "/echo", **LOCAL)
    assert f"User-Agent: {DEFAULT_UA}" in res.text
    assert res.content_type == "text/plain" and not res.is_html


def test_plain_text_accepted(server):
    assert fetch(server.base + "/plain", **LOCAL).text.startswith("Plain text story.")


def test_gzip_body_decoded(server):
    assert "Marlow Bay" in fetch(server.base + "/gzip", **LOCAL).text


def test_missing_content_type_sniffed(server):
    res = fetch(server.base + "/no-ctype", **LOCAL)
    assert res.content_type == "text/html" and "Marlow Bay" in res.text
    with pytest.raises(UnsupportedContentType):
        fetch(server.base + "/no-ctype-binary", **LOCAL)


# --- redirects ----------------------------------------------------------------------------

def test_three_redirects_followed(server):
    res = fetch(server.base + "/hops/3", **LOCAL)
    assert res.final_url == server.base + "/article"
    assert len(res.redirects) == 3 and "Marlow Bay" in res.text


def test_five_redirects_is_the_limit(server):
    assert fetch(server.base + "/hops/5", **LOCAL).status == 200
    with pytest.raises(TooManyRedirects) as exc:
        fetch(server.base + "/hops/6", **LOCAL)
    assert exc.value.code == "too_many_redirects"
    with pytest.raises(TooManyRedirects):
        fetch(server.base + "/hops/1", max_redirects=0, **LOCAL)


@pytest.mark.parametrize("path,target", [("/redirect-private", "10.0.0.1"),
                                         ("/redirect-metadata", "169.254.169.254")])
def test_redirect_to_private_address_refused_before_connecting(server, connects, path, target):
    with pytest.raises(BlockedAddress) as exc:
        fetch(server.base + path, allowed_networks=LOOPBACK, timeout=5)
    assert target in exc.value.message
    assert [p for p, _ in server.state.requests] == [path]        # first hop did happen
    assert not any(addr[0] == target for addr in connects)        # nothing sent there


def test_redirect_to_other_scheme_refused(server):
    with pytest.raises(BadUrl):
        fetch(server.base + "/redirect-ftp", **LOCAL)


def test_redirect_without_location(server):
    with pytest.raises(HttpStatusError):
        fetch(server.base + "/redirect-no-location", **LOCAL)


# --- SSRF guard ----------------------------------------------------------------------------

def test_loopback_refused_by_default(server, connects):
    with pytest.raises(BlockedAddress) as exc:
        fetch(server.base + "/article", timeout=5)
    assert exc.value.code == "blocked_address" and exc.value.http_status == 400
    assert server.state.requests == [] and connects == []


def test_localhost_name_refused(server):
    with pytest.raises(BlockedAddress):
        fetch(f"http://localhost:{server.port}/article", timeout=5)


def test_any_blocked_resolved_address_refuses(monkeypatch, connects):
    fake_dns(monkeypatch, {"mixed.test": ["93.184.216.34", "127.0.0.1"]})
    with pytest.raises(BlockedAddress):
        fetch("http://mixed.test/", timeout=5)
    assert connects == []


def test_connects_to_vetted_ip_and_keeps_host_header(server, monkeypatch, connects):
    fake_dns(monkeypatch, {"news.test": ["127.0.0.1"]})
    res = fetch(f"http://news.test:{server.port}/echo", allowed_networks=LOOPBACK, timeout=5)
    assert f"Host: news.test:{server.port}" in res.text
    assert connects == [("127.0.0.1", server.port)]


def test_connected_address_is_checked(server, monkeypatch):
    """If the socket ends up connected elsewhere than the vetted IP, refuse."""
    fake_dns(monkeypatch, {"swap.test": ["127.0.0.2"]})
    original = httpcore.SyncBackend.connect_tcp

    def misdirected(self, host, port, *args, **kwargs):
        return original(self, "127.0.0.1", server.port, *args, **kwargs)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", misdirected)
    with pytest.raises(BlockedAddress, match="not vetted"):
        fetch(f"http://swap.test:{server.port}/article", allowed_networks=LOOPBACK, timeout=5)
    assert server.state.requests == []


def test_dns_failure(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(DnsError) as exc:
        fetch("http://no-such-host.test/", timeout=5)
    assert exc.value.code == "dns_failed"


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                "0.0.0.0", "100.64.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
                                "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1",
                                "::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::a00:1"])
def test_non_public_addresses(ip):
    assert not is_public_address(ip)


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111",
                                "::ffff:8.8.8.8"])
def test_public_addresses(ip):
    assert is_public_address(ip)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/",
                                 "not a url", "http://", "javascript:alert(1)"])
def test_bad_urls(url, connects):
    with pytest.raises(BadUrl) as exc:
        fetch(url)
    assert exc.value.code == "bad_url" and connects == []


# --- size, type, time ------------------------------------------------------------------------

def test_big_body_stops_early(server):
    t0 = time.monotonic()
    with pytest.raises(ResponseTooLarge) as exc:
        fetch(server.base + "/big", **LOCAL)
    elapsed = time.monotonic() - t0
    # the server holds back everything after 6 MB until released: reading it all would
    # block for the 5 s read timeout, so a quick return proves the client stopped early
    assert elapsed < 3
    assert server.state.sent < BIG_SIZE
    assert exc.value.http_status == 413 and isinstance(exc.value, errors.TooLargeError)


def test_declared_length_over_cap_refused_without_reading(server):
    t0 = time.monotonic()
    with pytest.raises(ResponseTooLarge):
        fetch(server.base + "/big-declared", **LOCAL)
    assert time.monotonic() - t0 < 3 and server.state.sent < BIG_SIZE


def test_small_cap(server):
    with pytest.raises(ResponseTooLarge):
        fetch(server.base + "/article", max_bytes=1000, **LOCAL)


def test_binary_content_type_refused(server):
    with pytest.raises(UnsupportedContentType) as exc:
        fetch(server.base + "/image", **LOCAL)
    assert exc.value.code == "unsupported_content_type" and exc.value.http_status == 415
    assert "image/png" in exc.value.message


def test_slow_server_times_out(server):
    t0 = time.monotonic()
    with pytest.raises(FetchTimeout) as exc:
        fetch(server.base + "/slow", allow_private_hosts=True, timeout=0.5)
    assert time.monotonic() - t0 < 3
    assert exc.value.code == "fetch_timeout" and exc.value.http_status == 504


def test_dripping_body_hits_total_deadline(server):
    t0 = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(server.base + "/drip", allow_private_hosts=True, timeout=1, total_timeout=1)
    assert time.monotonic() - t0 < 3


# --- status codes and charsets ------------------------------------------------------------------

@pytest.mark.parametrize("status", [404, 500])
def test_http_errors(server, status):
    with pytest.raises(HttpStatusError) as exc:
        fetch(f"{server.base}/{status}", **LOCAL)
    assert exc.value.status == status and exc.value.code == "http_error"
    assert str(status) in exc.value.message


def test_connection_refused(server):
    with socket.socket() as s:          # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError) as exc:
        fetch(f"http://127.0.0.1:{port}/", **LOCAL)
    assert exc.value.code == "fetch_failed"


def test_latin1_meta_charset(server):
    res = fetch(server.base + "/latin1", **LOCAL)
    assert "Café" in res.text and "Le Café de la Gare" in res.text
    assert res.charset == "cp1252"       # WHATWG: iso-8859-1 means windows-1252


def test_latin1_header_charset(server):
    res = fetch(server.base + "/latin1-header", **LOCAL)
    assert "café" in res.text and "plaît" in res.text


def test_undeclared_utf8(server):
    res = fetch(server.base + "/utf8-undeclared", **LOCAL)
    assert "Café crème à Zürich" in res.text and res.charset == "utf-8"


def test_decode_body_fallbacks():
    text, codec = decode_body("Ça coûte 5 €".encode("utf-8"), "no-such-charset")
    assert text == "Ça coûte 5 €" and codec == "utf-8"
    text, _ = decode_body("\ufeffHé".encode("utf-8"))
    assert text == "Hé"
    text, _ = decode_body(("Les élèves de l'école étaient très fâchés, à côté du théâtre. " * 20)
                          .encode("cp1252"))
    assert "élèves" in text and "théâtre" in text
    text, _ = decode_body(b"caf\xe9 \xff\xfe", "utf-8")      # never raises
    assert text.startswith("caf")


# --- error classes -------------------------------------------------------------------------------

def test_error_codes_are_distinct():
    classes = [FetchError, fetch_mod.DnsError, FetchTimeout, HttpStatusError, ResponseTooLarge,
               UnsupportedContentType, BlockedAddress, BadUrl, TooManyRedirects]
    from newsgist.reading.htmlpage import HtmlError
    classes.append(HtmlError)
    codes = [c.code for c in classes]
    exits = [c.exit_code for c in classes]
    assert len(set(codes)) == len(codes) and len(set(exits)) == len(exits)
    assert all(20 <= e <= 29 for e in exits)
    assert all(issubclass(c, errors.NewsgistError) for c in classes)
    for c in (BadUrl, BlockedAddress, UnsupportedContentType, ResponseTooLarge):
        assert issubclass(c, errors.InputError)
    assert BadUrl("x").to_dict() == {"code": "bad_url", "message": "x"}
