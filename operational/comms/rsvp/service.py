"""RSVP reminders: ``rsvp_reminder_hours_before`` (48) hours before an occurrence starts, each of its players who has
not answered (and a minor's guardians) is reminded in the app and by e-mail, once per person and occurrence.

A periodic job of the worker finds the occurrences starting within the window; a reminder's notifications carry an
id made from the series and the occurrence's start (UUIDv5), so the notifications' uniqueness on (event, recipient,
channel) makes a second run, a second worker or a restart remind nobody twice. Occurrences come from the series'
RRULE on its own clock (wall-clock time kept across DST); an occurrence cancelled, or a series ended, reminds nobody.
An occurrence moved on its own (scope ``this``) is reminded at its original time: comms keeps series, not exceptions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from operational.comms import repository
from operational.comms.channels import is_minor, notification_rows
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.models import CalendarEntry
from operational.comms.rsvp import repository as rsvp_repository
from operational.kit.db import session_factory

REMINDER_NAMESPACE = uuid.UUID("6f1d1c3e-0d7a-4c55-9b1e-3a1f2a8e4b71")


@dataclass(frozen=True)
class ReminderOccasion:
    """What a reminder's notifications are unique on: the occurrence, as if it were an event."""

    event_id: uuid.UUID
    org_id: uuid.UUID
    occurred_at: datetime


def occurrence_starts(entry: CalendarEntry, window_from: datetime, window_to: datetime) -> list[datetime]:
    """The starts (UTC) of the entry's occurrences in [window_from, window_to), cancelled ones left out."""
    first = entry.starts_at.astimezone(ZoneInfo(entry.time_zone))
    if entry.rrule:
        rule = rrulestr(entry.rrule, dtstart=first)
        # dateutil keeps the wall-clock time; the zone gives each occurrence its own offset (DST)
        around = rule.between(window_from - timedelta(days=1), window_to + timedelta(days=1), inc=True)
        starts = [moment.astimezone(UTC) for moment in around]
    else:
        starts = [first.astimezone(UTC)]
    skipped = {moment.astimezone(UTC) for moment in entry.skipped_starts or []}
    ends_before = entry.ends_before
    return [
        start
        for start in starts
        if window_from <= start < window_to and start not in skipped and (ends_before is None or start < ends_before)
    ]


async def remind_occurrence(
    session: AsyncSession, settings: CommsSettings, entry: CalendarEntry, start: datetime, now: datetime
) -> int:
    """Reminds the occurrence's players who have not answered, and the guardians of the minors among them."""
    players = set(entry.player_ids or [])
    if entry.team_id is not None:
        players |= await repository.team_members(session, entry.org_id, entry.team_id, ("player",))
    silent = players - await rsvp_repository.answered(session, entry.series_id, start)
    if not silent:
        return 0
    years = await repository.birth_years(session, entry.org_id, silent)
    minors = {player for player in silent if is_minor(years.get(player), now)}
    audience = silent | await repository.guardians_of(session, entry.org_id, minors)
    occasion = ReminderOccasion(
        event_id=uuid.uuid5(REMINDER_NAMESPACE, f"{entry.series_id}/{start.isoformat()}"),
        org_id=entry.org_id,
        occurred_at=now,
    )
    team_name = await repository.team_name(session, entry.org_id, entry.team_id) if entry.team_id else None
    facts = {"series_id": str(entry.series_id), "title": entry.title, "team_name": team_name,
             "starts_at": start.isoformat(), "time_zone": entry.time_zone}  # fmt: skip
    rows = await notification_rows(
        session, settings, occasion, audience, category="schedule", kind="rsvp_reminder", facts=facts
    )
    return await repository.add_notifications(session, rows)


async def send_rsvp_reminders(
    engine: AsyncEngine, settings: CommsSettings | None = None, now: datetime | None = None
) -> int:
    """The worker's job: remind everyone due; returns how many notifications were new."""
    settings = settings or settings_from_environment()
    now = now or datetime.now(UTC)
    window_to = now + timedelta(hours=settings.rsvp_reminder_hours_before)
    created = 0
    async with session_factory(engine)() as session, session.begin():
        for entry in await rsvp_repository.entries_starting_before(session, window_to):
            for start in occurrence_starts(entry, now, window_to):
                created += await remind_occurrence(session, settings, entry, start, now)
    return created
