"""The periodic jobs that send pending web push and SMS notifications, in the recipient's language (their preference,
else the club's default).

- Push: the message (JSON ``{"id", "category", "kind", "title", "body"}``) is encrypted for each of the person's
  browsers (RFC 8291, ``aes128gcm``) and signed with the server's VAPID key (RFC 8292), both by ``pywebpush``, then
  POSTed through the push guard (push/sender.py: the endpoint is checked again and the checked address is called).
  A push service answering 404 or 410 says the subscription is gone: it is removed. The notification is sent when
  at least one browser's push service took it; with no browser left it is failed (``no_address``).
- SMS: ``title: body`` to the number in the person's preferences, through the SMS port (sms/port.py).

A message not taken is tried again at the next run and failed after ``mail_attempts`` tries; each final outcome is
reported (``comms.notification.delivered``) in the transaction that records it. Rows are locked while sent
(``FOR UPDATE SKIP LOCKED``): at least once, like e-mail.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from operational.comms import events
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.models import outbox
from operational.comms.push import repository as push_repository
from operational.comms.push.guard import Resolver, UnsafePushEndpoint, resolve
from operational.comms.push.sender import PushNotSent, send_push
from operational.comms.push.vapid import vapid_of
from operational.comms.sms.port import SmsNotSent, SmsTransport, transport_for
from operational.comms.templates import render
from operational.kit.db import session_factory

log = logging.getLogger(__name__)
BATCH = 50
GONE = (404, 410)


async def deliver_pending_push(
    engine: AsyncEngine, settings: CommsSettings | None = None, resolver: Resolver = resolve
) -> int:
    """Send every push notification that is due; returns how many reached at least one browser."""
    settings = settings or settings_from_environment()

    async def send(session, notification, preference) -> str | None:
        return await _push(session, settings, resolver, notification, _language(settings, preference))

    return await _run(engine, settings, "push", send)


async def deliver_pending_sms(
    engine: AsyncEngine, settings: CommsSettings | None = None, transport: SmsTransport | None = None
) -> int:
    """Send every SMS that is due; returns how many the provider took. Nothing happens while SMS is off."""
    settings = settings or settings_from_environment()
    transport = transport or transport_for(settings)
    if transport is None:
        return 0

    async def send(session, notification, preference) -> str | None:
        phone = preference.phone if preference is not None else None
        if not phone:
            return None
        text = render(notification.kind, notification.data, _language(settings, preference))
        try:
            await transport.send(phone, f"{text.title}: {text.body}")
        except SmsNotSent as exc:
            return str(exc)
        return "sent"

    return await _run(engine, settings, "sms", send)


def _language(settings: CommsSettings, preference) -> str:
    return (preference.language if preference is not None else None) or settings.default_language


async def _run(engine: AsyncEngine, settings: CommsSettings, channel: str, send) -> int:
    sessions = session_factory(engine)
    sent = 0
    while True:
        async with sessions() as session, session.begin():
            batch = await push_repository.due(session, channel, datetime.now(UTC), BATCH)
            for notification, preference in batch:
                sent += await _settle(session, settings, notification, await send(session, notification, preference))
            retry_later = any(notification.status == "pending" for notification, _ in batch)
        if len(batch) < BATCH or retry_later:
            return sent


async def _settle(session: AsyncSession, settings: CommsSettings, notification, result: str | None) -> int:
    """``result``: "sent", None (nowhere to send it) or why it was not taken."""
    if result is None:
        notification.status = "no_address"
        await _report(session, notification, "failed")
        return 0
    notification.attempts += 1
    if result != "sent":
        log.warning("%s %s not sent (try %d): %s", notification.channel, notification.id, notification.attempts, result)
        notification.last_error = result[:500]
        if notification.attempts >= settings.mail_attempts:
            notification.status = "failed"
            await _report(session, notification, "failed")
        return 0
    notification.status, notification.sent_at, notification.last_error = "sent", datetime.now(UTC), None
    await _report(session, notification, "sent")
    return 1


async def _push(session: AsyncSession, settings: CommsSettings, resolver: Resolver, notification, lang: str):
    subscriptions = await push_repository.subscriptions_of(session, notification.org_id, notification.recipient_id)
    if not subscriptions:
        return None
    text = render(notification.kind, notification.data, lang)
    payload = json.dumps({"id": str(notification.id), "category": notification.category, "kind": notification.kind,
                          "title": text.title, "body": text.body}).encode()  # fmt: skip
    from pywebpush import WebPusher  # with requests, ~14 MiB that every API and worker process would hold all day

    vapid = vapid_of(settings)
    taken, errors, left = False, [], len(subscriptions)
    for subscription in subscriptions:
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        parts = urlsplit(subscription.endpoint)
        claims = {"sub": settings.vapid_subject, "aud": f"{parts.scheme}://{parts.netloc}",
                  "exp": int(time.time()) + 12 * 3600}  # fmt: skip
        headers = {**vapid.sign(claims), "Content-Encoding": "aes128gcm", "TTL": str(settings.push_ttl_seconds)}
        body = WebPusher(info).encode(payload, "aes128gcm")["body"]
        try:
            await send_push(
                subscription.endpoint, body, headers, resolver=resolver, allowed_origins=settings.push_allowed_origins
            )
            taken = True
        except PushNotSent as exc:
            errors.append(str(exc))
            if exc.status_code in GONE:
                await push_repository.unsubscribe(session, subscription.id)
                left -= 1
        except UnsafePushEndpoint as exc:  # its name now resolves somewhere it must not: never called, kept for later
            errors.append(str(exc))
    if taken:
        return "sent"
    return "; ".join(errors) if left else None


async def _report(session: AsyncSession, notification, outcome: str) -> None:
    event = events.notification_delivered(
        notification_id=notification.id,
        org_id=notification.org_id,
        recipient_id=notification.recipient_id,
        channel=notification.channel,
        category=notification.category,
        outcome=outcome,
    )
    await outbox.record(session, event)
