"""Web push never makes the server call an address a browser should not reach: every bad form of endpoint is
refused, the request goes to the very address that was checked, and a redirect is never followed. The push service
itself is outside, so it is faked (httpx's mock transport); name resolution is real except where a test needs a
name to resolve to a given address."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from operational.comms.push.guard import UnsafePushEndpoint, check_push_endpoint
from operational.comms.push.sender import PushNotSent, send_push

PUBLIC = "93.184.216.34"


def resolving_to(*addresses: str):
    async def resolver(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolver


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://127.0.0.1/push",  # IPv4 literal
        "https://10.0.0.8/push",
        "https://169.254.169.254/latest/meta-data/",  # the cloud metadata address
        "https://[::1]/push",  # IPv6 literal
        "https://[::ffff:127.0.0.1]/push",  # IPv4-mapped IPv6
        "https://2130706433/push",  # 127.0.0.1 as a decimal number
        "https://0x7f000001/push",  # ... as hex
        "https://0177.0.0.1/push",  # ... as octal
        "https://127.1/push",  # ... shortened
        "https://localhost/push",  # a name that resolves to 127.0.0.1
        "https://user:secret@push.example.com/push",  # credentials in the URL
        "https://push.example.com:8080/push",  # not the HTTPS port
        "ftp://push.example.com/push",
        "https:///push",
    ],
)
def test_an_endpoint_the_server_must_not_call_is_refused(endpoint):
    with pytest.raises(UnsafePushEndpoint):
        asyncio.run(check_push_endpoint(endpoint))


@pytest.mark.parametrize(
    "addresses",
    [("127.0.0.1",), (PUBLIC, "127.0.0.1"), ("192.168.1.20",), ("100.64.0.1",), ("fe80::1",), ("fd00::1",),
     ("169.254.169.254",), ("::ffff:10.0.0.1",)],
)  # fmt: skip
def test_a_name_resolving_to_any_address_that_is_not_public_is_refused(addresses):
    with pytest.raises(UnsafePushEndpoint, match="not public"):
        asyncio.run(check_push_endpoint("https://push.example.com/x", resolving_to(*addresses)))


def test_the_request_goes_to_the_checked_address_and_a_redirect_is_not_followed():
    seen: list[httpx.Request] = []

    def push_service(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(push_service)) as client:
            await send_push(
                "https://push.example.com/wpush/v2/abc?x=1", b"cipher", {"TTL": "60"},
                resolver=resolving_to(PUBLIC), client=client,
            )  # fmt: skip

    with pytest.raises(PushNotSent, match="302"):
        asyncio.run(go())
    (request,) = seen  # one request: the redirect was not followed
    assert str(request.url) == f"https://{PUBLIC}/wpush/v2/abc?x=1"
    assert request.headers["Host"] == "push.example.com"
    assert request.extensions["sni_hostname"] == "push.example.com"


def test_a_public_push_service_takes_the_message():
    async def go() -> int:
        transport = httpx.MockTransport(lambda request: httpx.Response(201))
        async with httpx.AsyncClient(transport=transport) as client:
            return await send_push(
                "https://updates.push.services.mozilla.com/wpush/v2/abc", b"cipher", {"TTL": "60"},
                resolver=resolving_to(PUBLIC), client=client,
            )  # fmt: skip

    assert asyncio.run(go()) == 201
