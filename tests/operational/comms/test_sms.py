"""SMS through the provider port: Twilio's Messages API shape, against a fake Twilio served over HTTP on loopback
(Twilio is outside the system), which checks the account's credentials and refuses an invalid number the way
Twilio does."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from operational.comms.config import CommsSettings
from operational.comms.sms.port import SmsNotSent, transport_for

SID, TOKEN = "AC0123456789abcdef0123456789abcdef", "auth-token"


class FakeTwilio(BaseHTTPRequestHandler):
    sent: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
        form = {
            key: values[0]
            for key, values in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()
        }
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.path != f"/2010-04-01/Accounts/{SID}/Messages.json" or self.headers["Authorization"] != expected:
            return self._answer(401, {"code": 20003, "message": "Authenticate"})
        if not form.get("To", "").startswith("+"):
            return self._answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
        FakeTwilio.sent.append(form)
        return self._answer(201, {"sid": f"SM{len(FakeTwilio.sent):032d}", "status": "queued"})

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def twilio():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.sent = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        with contextlib.suppress(Exception):
            server.server_close()


def settings_for(base_url: str, token: str = TOKEN) -> CommsSettings:
    return CommsSettings(
        sms_transport="twilio", sms_from="+46700000000", twilio_account_sid=SID, twilio_auth_token=token,
        twilio_base_url=base_url, log_json=False,
    )  # fmt: skip


def test_a_text_is_sent_through_twilios_messages_api(twilio):
    sid = asyncio.run(transport_for(settings_for(twilio)).send("+46701234567", "Ice practice has moved"))
    assert sid.startswith("SM")
    assert FakeTwilio.sent == [{"To": "+46701234567", "From": "+46700000000", "Body": "Ice practice has moved"}]


def test_twilios_refusal_is_reported_with_its_code(twilio):
    with pytest.raises(SmsNotSent, match="21211"):
        asyncio.run(transport_for(settings_for(twilio)).send("0701234567", "x"))
    with pytest.raises(SmsNotSent, match="401"):
        asyncio.run(transport_for(settings_for(twilio, token="wrong")).send("+46701234567", "x"))
    assert FakeTwilio.sent == []


def test_sms_is_off_unless_a_provider_is_named():
    assert transport_for(CommsSettings(log_json=False)) is None
