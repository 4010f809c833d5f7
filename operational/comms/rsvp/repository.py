"""All SQL of RSVP reminders: who answered which occurrence, and the calendar entries that may need reminding."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.models import CalendarEntry, RsvpAnswer


async def record_answer(session: AsyncSession, org_id, series_id, occurrence_start: datetime, player_id) -> None:
    await session.execute(
        pg_insert(RsvpAnswer)
        .values(series_id=series_id, occurrence_start=occurrence_start, player_id=player_id, org_id=org_id)
        .on_conflict_do_nothing()
    )


async def answered(session: AsyncSession, series_id: uuid.UUID, occurrence_start: datetime) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RsvpAnswer.player_id).where(
            RsvpAnswer.series_id == series_id, RsvpAnswer.occurrence_start == occurrence_start
        )
    )
    return set(rows)


async def cancel(session: AsyncSession, org_id, series_id, scope: str, occurrence_start: datetime | None) -> None:
    """A cancelled series ends (at the occurrence for ``following``); one cancelled occurrence is skipped."""
    where = (CalendarEntry.org_id == org_id, CalendarEntry.series_id == series_id)
    if scope == "this" and occurrence_start is not None:
        values = {"skipped_starts": func.array_append(CalendarEntry.skipped_starts, occurrence_start)}
    else:
        values = {"ends_before": occurrence_start if scope == "following" else CalendarEntry.starts_at}
    await session.execute(update(CalendarEntry).where(*where).values(**values))


async def entries_starting_before(session: AsyncSession, until: datetime) -> list[CalendarEntry]:
    """Every club's entries for a team or named players whose first occurrence starts before ``until`` and that may
    still have occurrences (not ended before it)."""
    rows = await session.scalars(
        select(CalendarEntry)
        .where(CalendarEntry.starts_at < until)
        .where((CalendarEntry.team_id.is_not(None)) | (func.cardinality(CalendarEntry.player_ids) > 0))
        .where((CalendarEntry.ends_before.is_(None)) | (CalendarEntry.ends_before > CalendarEntry.starts_at))
    )
    return list(rows)
