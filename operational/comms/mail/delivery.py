"""The periodic job that sends pending e-mail: each message composed in the recipient's language and handed to the
mail transport; sent, or tried again next time, and marked failed after ``mail_attempts`` tries.

A row is locked while its message is sent (``FOR UPDATE SKIP LOCKED``), so two workers never send the same one. A
worker that stops between sending and committing sends that message again: e-mail is at least once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from operational.comms import events, repository
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.mail.compose import compose
from operational.comms.mail.port import MailNotSent, MailTransport, transport_for
from operational.comms.models import outbox
from operational.kit.db import session_factory

log = logging.getLogger(__name__)
BATCH = 50
# what a one-time link's e-mail carries only until it is sent (operational/comms/service.py: queue_account_link)
SECRET_FIELDS = frozenset({"link", "to"})


async def deliver_pending_mail(
    engine: AsyncEngine, settings: CommsSettings | None = None, transport: MailTransport | None = None
) -> int:
    """Send every e-mail that is due; returns how many went out."""
    settings = settings or settings_from_environment()
    transport = transport or transport_for(settings)
    sessions = session_factory(engine)
    sent = 0
    while True:
        async with sessions() as session, session.begin():
            batch = await repository.due_mail(session, datetime.now(UTC), BATCH)
            for notification, preference, contact in batch:
                sent += await _deliver(session, settings, transport, notification, preference, contact)
            # a message that failed stays pending: it is tried again at the next run, not at once in this one
            retry_later = any(notification.status == "pending" for notification, _, _ in batch)
        if len(batch) < BATCH or retry_later:
            return sent


def address_of(notification, preference, contact) -> tuple[str | None, str | None]:
    """Where an e-mail goes and in which language: a one-time link to the account's own address (carried with it),
    anything else to the address the person chose in their preferences, else their account's."""
    data = notification.data
    if data.get("to"):
        return data["to"], data.get("language")
    chosen = preference.email if preference is not None else None
    account = contact.email if contact is not None else None
    language = (preference.language if preference is not None else None) or (contact.language if contact else None)
    return chosen or account, language


def _forget_secrets(notification) -> None:
    """A one-time link and the address it went to are not kept once the e-mail is sent or given up on."""
    if SECRET_FIELDS.intersection(notification.data):
        notification.data = {key: value for key, value in notification.data.items() if key not in SECRET_FIELDS}


async def _deliver(
    session: AsyncSession, settings: CommsSettings, transport: MailTransport, notification, preference, contact=None
) -> int:
    to, language = address_of(notification, preference, contact)
    if not to:
        # nobody has given an address for this person yet: kept, visible in the delivery figures, never retried
        notification.status = "no_address"
        await _report(session, notification, "failed")
        return 0
    message = compose(
        notification_id=notification.id,
        kind=notification.kind,
        data=notification.data,
        lang=language or settings.default_language,
        to=to,
        sender=settings.mail_from,
        created_at=notification.created_at,
    )
    notification.attempts += 1
    try:
        await transport.send(message)
    except MailNotSent as exc:
        log.warning("e-mail %s not sent (try %d): %s", notification.id, notification.attempts, exc)
        notification.last_error = str(exc)[:500]
        if notification.attempts >= settings.mail_attempts:
            notification.status = "failed"
            _forget_secrets(notification)
            await _report(session, notification, "failed")
        return 0
    notification.status, notification.sent_at, notification.last_error = "sent", datetime.now(UTC), None
    _forget_secrets(notification)
    await _report(session, notification, "sent")
    return 1


async def _report(session: AsyncSession, notification, outcome: str) -> None:
    """The e-mail's final outcome, in the transaction that records it."""
    event = events.notification_delivered(
        notification_id=notification.id,
        org_id=notification.org_id,
        recipient_id=notification.recipient_id,
        channel=notification.channel,
        category=notification.category,
        outcome=outcome,
    )
    await outbox.record(session, event)
