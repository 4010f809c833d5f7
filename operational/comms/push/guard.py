"""Which push endpoints the server may call: a push endpoint is a URL a browser hands us, so it is treated as hostile.

Only ``https://<dns name>[:443]/…`` is accepted, and only when every address the name resolves to is a public one
(``ipaddress``'s ``is_global``: no loopback, private ranges (RFC 1918, fc00::/7), link-local and cloud metadata
(169.254.0.0/16, fe80::/10), carrier-grade NAT (100.64.0.0/10), multicast, reserved, or an IPv4 address wrapped in
IPv6). An IP literal in any spelling (dotted, decimal ``2130706433``, hex ``0x7f000001``, octal, IPv6 in brackets) is
refused outright: push services are named hosts. The checked address is returned so the request is sent to exactly
it (:mod:`operational.comms.push.sender`): a name that resolves to a public address when checked and to 127.0.0.1 a
moment later (DNS rebinding) gains nothing.

The one exception is ``allowed_origins`` (settings: ``HUB_COMMS_PUSH_ALLOWED_ORIGINS``, empty by default): an origin
listed there exactly (``scheme://host:port``) is taken as it is, so a test can point one subscription at a fake push
service on loopback. Nothing else is widened by it.

Errors: :class:`UnsafePushEndpoint`, whose message says what is wrong, for a 422 or the log.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio

Resolver = Callable[[str, int], Awaitable[list[str]]]
# anything made only of digits, dots and hex-ish parts is some spelling of a number, not a DNS name
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+))*\.?$", re.IGNORECASE)


class UnsafePushEndpoint(ValueError):
    """The endpoint is not a public HTTPS push service; the message says why."""


@dataclass(frozen=True)
class PushTarget:
    """A checked endpoint: the ``url`` as given, its ``host`` (for the Host header and TLS) and the public
    ``address`` to connect to."""

    url: str
    host: str
    port: int
    address: str
    scheme: str = "https"


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (A and AAAA)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour or ip.teredo):
        return False  # an IPv4 address in IPv6 clothing: refused rather than unwrapped
    return ip.is_global and not ip.is_multicast


async def check_push_endpoint(
    url: str, resolver: Resolver = resolve, allowed_origins: Collection[str] = ()
) -> PushTarget:
    """The endpoint, checked, with the address to call (raises :class:`UnsafePushEndpoint`)."""
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError as exc:
        raise UnsafePushEndpoint(f"not a URL: {exc}") from exc
    if parts.hostname and f"{parts.scheme}://{parts.hostname}:{port}" in allowed_origins:
        addresses = await resolver(parts.hostname, port)
        return PushTarget(url=url, host=parts.hostname, port=port, address=addresses[0], scheme=parts.scheme)
    if parts.scheme != "https":
        raise UnsafePushEndpoint("a push endpoint must be an https:// URL")
    if parts.username or parts.password:
        raise UnsafePushEndpoint("a push endpoint carries no user name or password")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafePushEndpoint("a push endpoint needs a host name")
    if port != 443:
        raise UnsafePushEndpoint("push services listen on port 443")
    if ":" in host or _NUMERIC_HOST.match(host):
        raise UnsafePushEndpoint("a push endpoint names its host; an IP address is not accepted")
    try:
        addresses = await resolver(host, port)
    except OSError as exc:
        raise UnsafePushEndpoint(f"{host} does not resolve") from exc
    if not addresses:
        raise UnsafePushEndpoint(f"{host} does not resolve")
    private = [address for address in addresses if not is_public(address)]
    if private:
        raise UnsafePushEndpoint(f"{host} resolves to an address that is not public ({private[0]})")
    return PushTarget(url=url, host=host, port=port, address=addresses[0])
