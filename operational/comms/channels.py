"""Which channels a notification goes out on, for each person, and when.

- In-app: always, unless the person muted the category in the app.
- E-mail: to everyone with an address — the one they gave in their preferences, else their account's own (users
  tells comms of it by a private message, contracts/private.py) — unless they muted the category's e-mail.
- Web push: to every browser the person subscribed (push/), unless they muted the category's push.
- SMS: to the number the person set in their preferences, when SMS is on (a provider is named), unless they muted
  the category's SMS.
- A minor's e-mail, push or SMS raised in the club's quiet hours waits until they end: delayed, never dropped. A
  year of birth is all comms knows, so anyone who may still be 17 this year counts as a minor.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import EventEnvelope
from operational.comms import repository
from operational.comms.config import CommsSettings
from operational.comms.push import repository as push_repository
from operational.kit.ids import uuid7

ADULT_AGE = 18


def is_minor(birth_year: int | None, on: datetime) -> bool:
    return birth_year is not None and on.year - birth_year <= ADULT_AGE


def quiet_hours_end(moment: datetime, settings: CommsSettings) -> datetime | None:
    """When the club's quiet hours that ``moment`` falls in end, or None when it is outside them. Quiet hours may
    span midnight (21:00–07:00)."""
    zone = ZoneInfo(settings.club_time_zone)
    local = moment.astimezone(zone)
    start, end, now = settings.quiet_hours_start, settings.quiet_hours_end, local.time()
    quiet = (start <= now or now < end) if start > end else (start <= now < end)
    if not quiet:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends = (local + timedelta(days=1)).replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return ends  # aware in the club's zone: the wall-clock end, whatever a DST change overnight did


async def notification_rows(
    session: AsyncSession,
    settings: CommsSettings,
    event: EventEnvelope[Any],
    recipients: set[uuid.UUID],
    *,
    category: str,
    kind: str,
    facts: dict,
) -> list[dict]:
    """The rows to insert for ``recipients``: in-app, e-mail, push and SMS as their preferences say."""
    org_id = event.org_id
    preferences = await repository.preferences_of(session, org_id, recipients)
    contacts = await repository.contacts_of(session, org_id, recipients)
    years = await repository.birth_years(session, org_id, recipients)
    subscribed = await push_repository.subscribed(session, org_id, recipients)
    rows = []
    for person in sorted(recipients):
        preference = preferences.get(person)
        muted = set(preference.muted) if preference else set()
        common = {"org_id": org_id, "recipient_id": person, "event_id": event.event_id, "category": category,
                  "kind": kind, "data": facts, "created_at": event.occurred_at, "not_before": None,
                  "status": "pending"}  # fmt: skip
        if f"{category}:in_app" not in muted:
            rows.append({**common, "id": uuid7(), "channel": "in_app"})
        has_address = (preference is not None and preference.email) or person in contacts
        if has_address and f"{category}:email" not in muted:
            minor = is_minor(years.get(person), event.occurred_at)
            not_before = quiet_hours_end(event.occurred_at, settings) if minor else None
            # a category the person takes as a daily digest waits for it (mail/digest.py), not for the mail job
            status = "digest" if preference is not None and category in (preference.digest or []) else "pending"
            rows.append({**common, "id": uuid7(), "channel": "email", "not_before": not_before, "status": status})
        held = quiet_hours_end(event.occurred_at, settings) if is_minor(years.get(person), event.occurred_at) else None
        if person in subscribed and f"{category}:push" not in muted:
            rows.append({**common, "id": uuid7(), "channel": "push", "not_before": held})
        has_phone = preference is not None and preference.phone and settings.sms_transport != "none"
        if has_phone and f"{category}:sms" not in muted:
            rows.append({**common, "id": uuid7(), "channel": "sms", "not_before": held})
    return rows
