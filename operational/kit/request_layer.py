"""What every request passes through before routing, as one pure ASGI layer: its correlation id, its metrics, the
refusal of NUL characters, and, for a POST that carries ``Idempotency-Key``, the idempotency protocol.

One layer instead of four nested ones: each nested middleware wrapped ``send`` again and added a call frame and an
await to every message of every request. Here ``send`` is wrapped once (status for the metrics, the correlation
header), the body of a JSON request is read once (for the NUL check, and again for an idempotent POST's fingerprint
only if it was not read yet), and a request without an Idempotency-Key never touches the idempotency code. The
behaviour is that of the layers it replaces, in their order: correlation id, metrics, NUL characters, idempotency.

Unknown query parameters are refused by :func:`operational.kit.strict.reject_unknown_query_parameters`, an app-wide
dependency: which parameters a request may carry depends on the route it matched, known only after routing.
"""

from __future__ import annotations

import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messaging.logs import correlation_id_var
from operational.kit import idempotency
from operational.kit.observability import CORRELATION_HEADER, LATENCY, REQUESTS, valid_correlation_id
from operational.kit.strict import nul_in_json, nul_in_query, refuse_nul

_IDEMPOTENCY_HEADER = idempotency.HEADER.lower().encode()


class RequestLayer:
    """The per-request middleware of every API (see the module's docstring); ``idempotency`` for APIs that write."""

    def __init__(self, app: ASGIApp, *, idempotency: bool = False):
        self.app = app
        self.idempotency = idempotency
        self._observers: dict[tuple[str, str], object] = {}  # (method, route) → latency histogram child
        self._counters: dict[tuple[str, str, int], object] = {}  # (method, route, status) → counter child

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        correlation_id, content_type, key = None, b"", None
        for name, value in scope["headers"]:
            if name == CORRELATION_HEADER:
                correlation_id = valid_correlation_id(value.decode("latin-1"))
            elif name == b"content-type":
                content_type = value
            elif name == _IDEMPOTENCY_HEADER and key is None:
                key = value.decode("latin-1").strip()
        correlation_id = correlation_id or uuid.uuid4().hex
        token = correlation_id_var.set(correlation_id)
        if kind != "http":
            try:
                await self.app(scope, receive, send)
            finally:
                correlation_id_var.reset(token)
            return

        started = time.perf_counter()
        status = 500
        correlation_header = (CORRELATION_HEADER, correlation_id.encode())

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), correlation_header]
            await send(message)

        try:
            await self._handle(scope, receive, send_observed, content_type, key)
        finally:
            correlation_id_var.reset(token)
            self._observe(scope, status, time.perf_counter() - started)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, content_type: bytes, key: str | None) -> None:
        if nul_in_query(scope.get("query_string", b"")):
            await refuse_nul(send, "query")
            return
        body = None
        if b"json" in content_type:
            body = await idempotency.read_body(receive)
            if nul_in_json(body):
                await refuse_nul(send, "body")
                return
            receive = _replaying(body, receive)
        if self.idempotency and key is not None and scope["method"] == "POST":
            await idempotency.handle(self.app, scope, receive, send, key, body)
            return
        await self.app(scope, receive, send)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        # the route template, not the raw path, so ids do not explode the label set
        method, route = scope["method"], getattr(scope.get("route"), "path", "unmatched")
        observer = self._observers.get((method, route))
        if observer is None:
            observer = self._observers[(method, route)] = LATENCY.labels(method, route)
        observer.observe(seconds)
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self._counters[(method, route, status)] = REQUESTS.labels(method, route, str(status))
        counter.inc()


def _replaying(body: bytes, receive: Receive) -> Receive:
    """``receive`` for an app after the body was read: the body once, then whatever the client sends next."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
