"""Sending one web push request to a checked endpoint, pinned to the address the check approved.

The request goes to ``https://<checked address>/<path>`` with the endpoint's name in the ``Host`` header and as the
TLS server name (so the certificate is still verified for the push service's name), never re-resolving the name.
Redirects are never followed: a push service answers 201; anything else, a 3xx included, is a failed delivery.
The body and its headers (``Content-Encoding: aes128gcm``, VAPID ``Authorization``, ``TTL``) are the caller's: the
payload encryption of RFC 8291 and the VAPID signature of RFC 8292 are ``pywebpush``'s.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlsplit, urlunsplit

import httpx

from operational.comms.push.guard import PushTarget, Resolver, UnsafePushEndpoint, check_push_endpoint, resolve


class PushNotSent(Exception):
    """The push service did not take the message; the text says why (for the log, never for the recipient).
    ``status_code`` is the push service's answer (404 or 410: the subscription is gone), None when it gave none."""

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


def pinned_url(target: PushTarget) -> str:
    parts = urlsplit(target.url)
    host = f"[{target.address}]" if ":" in target.address else target.address
    return urlunsplit((target.scheme, f"{host}:{target.port}", parts.path or "/", parts.query, ""))


async def send_push(
    endpoint: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    resolver: Resolver = resolve,
    client: httpx.AsyncClient | None = None,
    timeout_seconds: float = 10.0,
    allowed_origins: Collection[str] = (),
) -> int:
    """POSTs ``body`` to ``endpoint`` after checking it; returns the push service's status (201, 202).

    Raises :class:`UnsafePushEndpoint` for an endpoint the server must not call, :class:`PushNotSent` otherwise."""
    target = await check_push_endpoint(endpoint, resolver, allowed_origins)
    own = client is None
    client = client or httpx.AsyncClient(follow_redirects=False, timeout=timeout_seconds, trust_env=False)
    try:
        response = await client.post(
            pinned_url(target),
            content=body,
            headers={**headers, "Host": target.host},
            extensions={"sni_hostname": target.host},
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        raise PushNotSent(f"{target.host}: {exc!r}") from exc
    finally:
        if own:
            await client.aclose()
    if response.status_code not in (200, 201, 202):
        raise PushNotSent(
            f"{target.host} answered {response.status_code} (redirects are not followed)", response.status_code
        )
    return response.status_code


__all__ = ["PushNotSent", "UnsafePushEndpoint", "pinned_url", "send_push"]
