"""The daily digest: a person who chose ``digest`` for a category gets that category's e-mail once a day, all of it
in one message, at the digest time (``HUB_COMMS_DIGEST_TIME``, 07:00) on their own clock (the zone they saved their
preferences in), instead of one e-mail per notification.

Such e-mail is stored with status ``digest`` (channels.py) and left alone by the mail job. This job, run by the worker
every 15 minutes, takes each person whose digest time has come today and who has had no digest today (the
``comms.digests`` row of the day is the proof, so two workers or a rerun send one), composes one message in their
language and marks every notification in it sent (each reported ``comms.notification.delivered``). A minor's digest
waits out the club's quiet hours like any e-mail; a digest that cannot be sent is tried at the next run.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from operational.comms import repository
from operational.comms.channels import is_minor, quiet_hours_end
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.mail.delivery import _report, address_of
from operational.comms.mail.port import MailNotSent, MailTransport, transport_for
from operational.comms.models import Contact, Digest, Notification, Preference
from operational.comms.templates import language_of, render
from operational.kit.db import session_factory

log = logging.getLogger(__name__)

_SUBJECT = {"en": "Your Hockey Hub digest: {count} new", "sv": "Din sammanfattning från Hockey Hub: {count} nya"}


def compose_digest(items: list[Notification], *, lang: str | None, to: str, sender: str, now: datetime) -> EmailMessage:
    """One message listing each notification's title and text, oldest first (plain text and HTML)."""
    language = language_of(lang)
    texts = [render(item.kind, item.data, language) for item in items]
    message = EmailMessage()
    message["From"], message["To"] = sender, to
    message["Subject"] = _SUBJECT[language].format(count=len(items))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="hockeyhub.local")
    message["Content-Language"] = language
    message.set_content("\n\n".join(f"{text.title}\n{text.body}" for text in texts) + "\n")
    html = "".join(f"<h2>{escape(text.title)}</h2><p>{escape(text.body)}</p>" for text in texts)
    message.add_alternative(f'<!doctype html><html lang="{language}"><body>{html}</body></html>', subtype="html")
    return message


def digest_due(preference: Preference | None, settings: CommsSettings, now: datetime) -> bool:
    zone = ZoneInfo((preference.time_zone if preference else None) or settings.club_time_zone)
    return now.astimezone(zone).time() >= settings.digest_time


async def send_digests(
    engine: AsyncEngine,
    settings: CommsSettings | None = None,
    transport: MailTransport | None = None,
    now: datetime | None = None,
) -> int:
    """Sends every digest that is due; returns how many messages went out."""
    settings = settings or settings_from_environment()
    transport = transport or transport_for(settings)
    now = now or datetime.now(UTC)
    sent = 0
    async with session_factory(engine)() as session, session.begin():
        rows = (
            await session.execute(
                select(Notification, Preference, Contact)
                .join(Preference, Preference.user_id == Notification.recipient_id, isouter=True)
                .join(Contact, Contact.user_id == Notification.recipient_id, isouter=True)
                .where(Notification.channel == "email", Notification.status == "digest")
                .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
                .with_for_update(of=Notification, skip_locked=True)
            )
        ).all()
        people: dict = {}
        for notification, preference, contact in rows:
            people.setdefault(notification.recipient_id, (preference, contact, []))[2].append(notification)
        for recipient_id, (preference, contact, items) in people.items():
            if not digest_due(preference, settings, now):
                continue
            years = await repository.birth_years(session, items[0].org_id, [recipient_id])
            if is_minor(years.get(recipient_id), now) and quiet_hours_end(now, settings) is not None:
                continue
            zone = ZoneInfo((preference.time_zone if preference else None) or settings.club_time_zone)
            day = now.astimezone(zone).date()
            claimed = await session.scalar(
                pg_insert(Digest)
                .values(recipient_id=recipient_id, local_day=day, org_id=items[0].org_id, sent_at=now)
                .on_conflict_do_nothing()
                .returning(Digest.recipient_id)
            )
            if claimed is None:  # today's digest went out already; these wait for tomorrow's
                continue
            to, language = address_of(items[0], preference, contact)
            if not to:
                continue
            message = compose_digest(
                items, lang=language or settings.default_language, to=to, sender=settings.mail_from, now=now
            )
            try:
                await transport.send(message)
            except MailNotSent as exc:
                log.warning("digest for %s not sent: %s", recipient_id, exc)
                await session.execute(
                    Digest.__table__.delete().where(Digest.recipient_id == recipient_id, Digest.local_day == day)
                )
                continue
            for item in items:
                item.status, item.sent_at = "sent", now
                await _report(session, item, "sent")
            sent += 1
    return sent
