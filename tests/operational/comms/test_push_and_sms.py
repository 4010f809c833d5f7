"""Web push and SMS as channels: a browser subscribes and gets a practice as an encrypted, VAPID-signed push from a
fake push service on loopback (push services are outside; the guard takes that one origin only because the test's
settings list it); a push service saying the subscription is gone removes it; SMS goes to the number a person set,
through a fake Twilio; a minor's push and SMS wait for the end of the club's quiet hours."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from contracts.users import UserAnonymized, UserAnonymizedEvent
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.dispatch import deliver_pending_push, deliver_pending_sms
from operational.kit.db import create_engine
from tests.messaging import apply_events, drain_and_consume
from tests.operational.calendar.helpers import envelope
from tests.operational.comms.helpers import BASE, schedule
from tests.operational.comms.test_mail import prefer
from tests.operational.comms.test_notifications import _sql
from tests.operational.comms.test_sms import SID, TOKEN, FakeTwilio, twilio  # noqa: F401 - the fixture

PHONE = "+46701234567"


class FakePushService(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakePushService.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(410 if "/gone/" in self.path else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def push_service(monkeypatch):
    """The fake push service's origin, the one the comms settings let the guard take (listed before ``gateway`` in a
    test, so the app is built with it)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePushService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakePushService.received = []
    origin = f"http://localhost:{server.server_address[1]}"
    monkeypatch.setenv("HUB_COMMS_PUSH_ALLOWED_ORIGINS", f'["{origin}"]')
    try:
        yield origin
    finally:
        server.shutdown()
        with contextlib.suppress(Exception):
            server.server_close()


@pytest.fixture
def sms_on(monkeypatch, twilio):  # noqa: F811 - the fixture imported above
    values = {"SMS_TRANSPORT": "twilio", "SMS_FROM": "+46700000000", "TWILIO_ACCOUNT_SID": SID,
              "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_BASE_URL": twilio}  # fmt: skip
    for name, value in values.items():
        monkeypatch.setenv(f"HUB_COMMS_{name}", value)
    settings_from_environment.cache_clear()
    FakeTwilio.sent = []
    yield
    monkeypatch.undo()
    settings_from_environment.cache_clear()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A browser's push keys: its P-256 key pair and auth secret, as ``PushSubscription.toJSON()`` gives them."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": endpoint, "keys": {"p256dh": b64(point), "auth": b64(self.auth)}}

    def read(self, body: bytes) -> bytes:
        return http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")


def comms(settings) -> CommsSettings:
    return CommsSettings(database_url=settings.database_url, var_dir=settings.var_dir, log_json=False)


def sms_settings(settings) -> CommsSettings:
    return settings_from_environment().model_copy(update={"database_url": settings.database_url})


def run(job, comms_settings: CommsSettings, **kw) -> int:
    async def go() -> int:
        engine = create_engine(comms_settings.database_url, pool_size=1)
        try:
            return await job(engine, comms_settings, **kw)
        finally:
            await engine.dispose()

    return asyncio.run(go())


async def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def push(settings) -> int:
    return run(deliver_pending_push, comms(settings), resolver=loopback)


def subscribe(gateway, person, subscription: dict) -> dict:
    response = gateway.post(f"{BASE}/push/subscriptions", json=subscription, headers=person.headers)
    assert response.status_code == 201, response.text
    return response.json()


def channels_of(settings, person) -> list[tuple]:
    return _sql(settings, "SELECT channel, status, not_before FROM comms.notifications WHERE recipient_id = :who "
                "ORDER BY channel", who=person.id)  # fmt: skip


def test_a_subscribed_browser_gets_the_practice_encrypted_and_signed_once(
    push_service, gateway, comms_club, settings, quiet_hours
):
    browser, parent = Browser(), comms_club["parent"]
    subscribe(gateway, parent, browser.subscription(f"{push_service}/push/abc"))
    again = subscribe(gateway, parent, browser.subscription(f"{push_service}/push/abc"))  # the same browser again
    assert [s["id"] for s in gateway.get(f"{BASE}/push/subscriptions", headers=parent.headers).json()] == [again["id"]]
    key = gateway.get(f"{BASE}/push/key", headers=parent.headers).json()["application_server_key"]
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    assert push(settings) == 1
    assert push(settings) == 0
    (request,) = FakePushService.received
    assert request["path"] == "/push/abc" and request["headers"]["Content-Encoding"] == "aes128gcm"
    assert (
        request["headers"]["Authorization"].startswith("vapid t=") and f"k={key}" in request["headers"]["Authorization"]
    )
    assert b"Ice practice" in browser.read(request["body"])
    assert ("push", "sent", None) in channels_of(settings, parent)
    # someone without a subscribed browser gets no push row at all
    assert "push" not in [row[0] for row in channels_of(settings, comms_club["teammate"])]


def test_a_push_service_saying_gone_removes_the_subscription(push_service, gateway, comms_club, settings, quiet_hours):
    parent = comms_club["parent"]
    subscribe(gateway, parent, Browser().subscription(f"{push_service}/gone/1"))
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    assert push(settings) == 0
    assert gateway.get(f"{BASE}/push/subscriptions", headers=parent.headers).json() == []
    assert ("push", "no_address", None) in channels_of(settings, parent)


def test_only_a_public_push_service_can_be_subscribed_and_only_by_its_owner(
    push_service, gateway, comms_club, settings
):
    player, parent = comms_club["player"], comms_club["parent"]
    for endpoint in ("http://127.0.0.1/push", "https://localhost/push", f"{push_service.replace('http', 'https')}/x"):
        response = gateway.post(f"{BASE}/push/subscriptions", json=Browser().subscription(endpoint),
                                headers=player.headers)  # fmt: skip
        assert response.status_code == 422, endpoint
    mine = subscribe(gateway, player, Browser().subscription(f"{push_service}/push/p"))
    assert gateway.delete(f"{BASE}/push/subscriptions/{mine['id']}", headers=parent.headers).status_code == 403
    assert gateway.delete(f"{BASE}/push/subscriptions/{mine['id']}", headers=player.headers).status_code == 204
    assert gateway.get(f"{BASE}/push/subscriptions", headers=player.headers).json() == []
    # an erased person's browsers are forgotten with them
    subscribe(gateway, parent, Browser().subscription(f"{push_service}/push/q"))
    erased = envelope(UserAnonymizedEvent, comms_club.org_id, UserAnonymized(user_id=parent.id))
    apply_events(settings, "comms", [erased])
    assert _sql(settings, "SELECT count(*) FROM comms.push_subscriptions WHERE user_id = :who", who=parent.id) == [(0,)]


def test_sms_goes_to_the_number_a_person_set_unless_they_muted_it(sms_on, gateway, comms_club, settings, quiet_hours):
    prefer(gateway, comms_club["parent"], phone=PHONE, language="en")
    prefer(gateway, comms_club["teammate"], phone="+46709999999", muted=[{"category": "schedule", "channel": "sms"}])
    bad = gateway.put(f"{BASE}/preferences", json={"phone": "0701234567"}, headers=comms_club["parent"].headers)
    assert bad.status_code == 422
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    assert run(deliver_pending_sms, sms_settings(settings)) == 1
    (text,) = FakeTwilio.sent
    assert text["To"] == PHONE and "Ice practice" in text["Body"]
    assert "sms" not in [row[0] for row in channels_of(settings, comms_club["teammate"])]


def test_a_minors_push_and_sms_wait_for_the_end_of_quiet_hours(
    sms_on, push_service, gateway, comms_club, settings, quiet_hours
):
    player = comms_club["player"]  # a minor
    prefer(gateway, player, phone=PHONE)
    subscribe(gateway, player, Browser().subscription(f"{push_service}/push/minor"))
    quiet_ends = quiet_hours.around_now()
    schedule(gateway, comms_club)
    drain_and_consume(settings, services=["comms"])

    assert push(settings) == 0
    assert run(deliver_pending_sms, sms_settings(settings)) == 0
    held = {row[0]: row[2] for row in channels_of(settings, player) if row[0] in ("push", "sms")}
    assert set(held) == {"push", "sms"} and set(held.values()) == {quiet_ends}
