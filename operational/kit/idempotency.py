"""``Idempotency-Key`` on creating requests, with Stripe's semantics, for every POST of every service.

A client that sends ``Idempotency-Key: <its own unique value>`` with a POST can safely retry it (a double tap, a
timeout, a flaky network): the first response is stored and replayed, marked ``Idempotent-Replayed: true``.

- The same key with a different body or path is refused with 409, as is a retry while the first is still running.
- Keys belong to the signed-in caller (two people cannot collide) and are kept for 24 hours.
- The request's own unit of work marks the key *committed* in the same transaction as the change, so a request that
  committed is never run twice, even if the process died before its response was stored (the retry then gets 409
  "already applied"). Only successful responses are replayed; a failed request may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextvars import ContextVar
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from operational.kit.auth import verify_access_token
from operational.kit.errors import HubError, error_body

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
LOCK = timedelta(seconds=60)  # a request still "started" after this died without committing
KEEP = timedelta(hours=24)
_REPLAYED_HEADERS = {b"content-type", b"location"}

# (owner, key) of the request being processed, for the unit of work to mark committed
_in_flight: ContextVar[tuple[str, str] | None] = ContextVar("hub_idempotency_in_flight", default=None)


async def mark_committed(session: AsyncSession) -> None:
    """Called by the request's unit of work just before it commits."""
    if (claim := _in_flight.get()) is None:
        return
    await session.execute(
        text(
            "UPDATE hub_kit.idempotency_keys SET state = 'committed' "
            "WHERE owner = :owner AND key = :key AND state = 'started'"
        ),
        {"owner": claim[0], "key": claim[1]},
    )


async def purge_expired(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        result = await conn.execute(
            text("DELETE FROM hub_kit.idempotency_keys WHERE created_at < now() - make_interval(secs => :secs)"),
            {"secs": KEEP.total_seconds()},
        )
        return result.rowcount or 0


class _Refusal(HubError):
    status_code = 409
    code = "idempotency_conflict"


async def handle(app: ASGIApp, scope: Scope, receive: Receive, send: Send, key: str, body: bytes | None) -> None:
    """Run a POST that carries ``Idempotency-Key: key`` through ``app`` once (called by the request layer,
    operational/kit/request_layer.py); ``body`` is the request body if the layer read it already, else None."""
    app_state = scope["app"].state
    owner = _owner(scope, app_state.settings, getattr(app_state, "verified_tokens", None))
    engine: AsyncEngine | None = getattr(app_state, "engine", None)
    if owner is None or engine is None:  # not signed in: the endpoint answers 401 (or needs no key)
        await app(scope, receive, send)
        return
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        await _send_error(send, 422, "invalid_value", f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.")
        return
    if body is None:
        body = await read_body(receive)
    fingerprint = hashlib.sha256(b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body])).hexdigest()
    try:
        stored = await _claim(engine, owner, key, scope["path"], fingerprint)
    except _Refusal as refusal:
        await _send_error(send, 409, refusal.code, refusal.message, refusal.headers)
        return
    if stored is not None:
        await _replay(send, *stored)
        return
    response = await _run(app, scope, body, owner, key)
    await _finish(engine, owner, key, response)
    await _send(send, response)


async def _run(app: ASGIApp, scope: Scope, body: bytes, owner: str, key: str) -> dict:
    response: dict = {"status": 500, "headers": [], "body": b""}
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            response["status"], response["headers"] = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            response["body"] += message.get("body", b"")

    token = _in_flight.set((owner, key))
    try:
        await app(scope, receive, capture)
    finally:
        _in_flight.reset(token)
    return response


async def _claim(engine: AsyncEngine, owner: str, key: str, path: str, fingerprint: str):
    """Record the key as started; or return the stored (status, headers, body) to replay; or refuse."""
    async with engine.begin() as conn:
        inserted = await conn.execute(
            text(
                "INSERT INTO hub_kit.idempotency_keys (owner, key, method, path, fingerprint, state, locked_until) "
                "VALUES (:owner, :key, 'POST', :path, :fingerprint, 'started', now() + make_interval(secs => :lock)) "
                "ON CONFLICT DO NOTHING RETURNING key"
            ),
            {"owner": owner, "key": key, "path": path, "fingerprint": fingerprint, "lock": LOCK.total_seconds()},
        )
        if inserted.first() is not None:
            return None
        row = (
            await conn.execute(
                text(
                    "SELECT fingerprint, state, status_code, response_body, response_headers, "
                    "locked_until < now() AS expired FROM hub_kit.idempotency_keys "
                    "WHERE owner = :owner AND key = :key FOR UPDATE"
                ),
                {"owner": owner, "key": key},
            )
        ).one()
        if row.fingerprint != fingerprint:
            raise _Refusal(f"This {HEADER} was already used for a different request; use a new key for a new request.")
        if row.state == "completed":
            return row.status_code, row.response_headers or [], row.response_body or b""
        if row.state == "committed":
            raise _Refusal(
                "This request was already applied, but its response was lost; read the result instead of retrying."
            )
        if not row.expired:
            raise _Refusal(
                "A request with this key is still being processed; retry in a moment.", headers={"Retry-After": "1"}
            )
        # the earlier attempt died before committing anything: this one takes over
        await conn.execute(
            text(
                "UPDATE hub_kit.idempotency_keys SET locked_until = now() + make_interval(secs => :lock) "
                "WHERE owner = :owner AND key = :key"
            ),
            {"owner": owner, "key": key, "lock": LOCK.total_seconds()},
        )
        return None


async def _finish(engine: AsyncEngine, owner: str, key: str, response: dict) -> None:
    params = {"owner": owner, "key": key}
    try:
        async with engine.begin() as conn:
            if 200 <= response["status"] < 300:
                headers = [
                    [k.decode("latin-1"), v.decode("latin-1")]
                    for k, v in response["headers"]
                    if k.lower() in _REPLAYED_HEADERS
                ]
                await conn.execute(
                    text(
                        "UPDATE hub_kit.idempotency_keys SET state = 'completed', status_code = :status, "
                        "response_body = :body, response_headers = CAST(:headers AS jsonb) "
                        "WHERE owner = :owner AND key = :key"
                    ),
                    {**params, "status": response["status"], "body": response["body"], "headers": json.dumps(headers)},
                )
            else:  # nothing to replay: a retry with the same key runs again, unless its change was committed
                await conn.execute(
                    text(
                        "DELETE FROM hub_kit.idempotency_keys WHERE owner = :owner AND key = :key AND state = 'started'"
                    ),
                    params,
                )
    except Exception as exc:  # the response still goes out; a retry then meets "committed" or an expired start
        log.warning("could not store an idempotent response", extra={"error": repr(exc)})


def _header(scope: Scope, name: bytes) -> str | None:
    for header, value in scope["headers"]:
        if header == name:
            return value.decode("latin-1").strip()
    return None


def _owner(scope: Scope, settings, verified=None) -> str | None:
    authorization = _header(scope, b"authorization") or ""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        principal = verify_access_token(
            token.strip(),
            public_key_pem=settings.public_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            verified=verified,
        )
    except HubError:
        return None
    return str(principal.user_id)


async def read_body(receive: Receive) -> bytes:
    """The whole request body, however many messages it comes in."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _send(send: Send, response: dict) -> None:
    await send({"type": "http.response.start", "status": response["status"], "headers": response["headers"]})
    await send({"type": "http.response.body", "body": response["body"]})


async def _replay(send: Send, status: int, headers: list, body: bytes) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    raw += [(b"content-length", str(len(body)).encode()), (REPLAYED_HEADER.lower().encode(), b"true")]
    await _send(send, {"status": status, "headers": raw, "body": body})


async def _send_error(send: Send, status: int, code: str, message: str, headers: dict | None = None) -> None:
    body = json.dumps(error_body(code, message, HEADER if status == 422 else None)).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await _send(send, {"status": status, "headers": raw, "body": body})
