"""A small fake of Stripe's HTTP API on loopback, for the card adapter's tests: PaymentIntents and refunds with
Stripe's idempotency (the same key replays the first answer), failures on demand, and signed webhook events.
Nothing reaches the internet."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

WEBHOOK_SECRET = "whsec_test_secret"
_ids = itertools.count(1)


class FakeStripe:
    def __init__(self):
        self.requests: list[tuple[str, str | None]] = []  # (path, idempotency key) of every call that arrived
        self.intents: dict[str, dict] = {}
        self.fail_next: list[int] = []  # statuses to answer the next calls with
        self._replays: dict[str, tuple[int, dict]] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeStripe:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def respond(self, path: str, key: str | None, form: dict[str, str]) -> tuple[int, dict]:
        with self._lock:
            self.requests.append((path, key))
            if self.fail_next:
                status = self.fail_next.pop(0)
                return status, {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}
            if key in self._replays:
                return self._replays[key]
            answer = self._create(path, form)
            if key is not None:
                self._replays[key] = answer
            return answer

    def _create(self, path: str, form: dict[str, str]) -> tuple[int, dict]:
        n = next(_ids)
        if path == "/v1/payment_intents":
            metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
            intent = {
                "id": f"pi_{n}",
                "object": "payment_intent",
                "amount": int(form["amount"]),
                "amount_received": 0,
                "currency": form["currency"],
                "client_secret": f"pi_{n}_secret_{n}",
                "status": "requires_payment_method",
                "metadata": metadata,
            }
            self.intents[intent["id"]] = intent
            return 200, intent
        if path == "/v1/refunds":
            refund = {"id": f"re_{n}", "object": "refund", "amount": int(form["amount"]), "status": "succeeded",
                      "payment_intent": form["payment_intent"]}  # fmt: skip
            return 200, refund
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})."}}

    def succeed(self, intent_id: str, *, created: float | None = None) -> tuple[bytes, str]:
        """The card was charged: the ``payment_intent.succeeded`` event as Stripe posts it, and its signature."""
        intent = {**self.intents[intent_id], "status": "succeeded"}
        intent["amount_received"] = intent["amount"]
        event = {"id": f"evt_{next(_ids)}", "object": "event", "type": "payment_intent.succeeded",
                 "created": int(created or time.time()), "data": {"object": intent}}  # fmt: skip
        payload = json.dumps(event).encode()
        return payload, sign(payload, timestamp=int(created or time.time()))

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                status, body = fake.respond(self.path, self.headers.get("Idempotency-Key"), form)
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *_args):
                pass

        return Handler


def sign(payload: bytes, *, timestamp: int, secret: str = WEBHOOK_SECRET) -> str:
    """A ``Stripe-Signature`` header: HMAC-SHA256 of ``<timestamp>.<payload>`` (Stripe's scheme v1)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
