"""SSRF guard for :mod:`newsgist.reading.fetch`: which addresses a fetch may connect to.

How the connected address is checked
------------------------------------
DNS resolution and the TCP connect happen in one place: :class:`_GuardedBackend`, an
``httpcore`` network backend plugged into the ``httpx`` transport
(:class:`GuardedTransport`). For every new
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

:class:`AddressPolicy` says which addresses are allowed: ``allow_private`` turns the
address check off (local testing); ``allowed_networks`` exempts selected networks
(e.g. an intranet) while keeping it. DNS lookups use the system resolver, which has
no timeout of its own.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Iterable, Optional

import httpcore
import httpx

from newsgist.reading.fetch_errors import BadUrl, BlockedAddress, DnsError

__all__ = ["is_public_address", "AddressPolicy", "GuardedTransport"]

_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


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

