"""Planned training sessions on the calendar: one entry (kind ``training_session``) per session, kept from the
training service's events, so players and coaches see them beside practices and games.

The entry follows the session: the calendar API does not edit it (training does), an older event arriving late changes
nothing, and a session planned *for* an existing calendar event (``calendar_event_id``) is already on the calendar.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import EventEnvelope
from operational.calendar import occurrences, recurrence, repository
from operational.calendar.models import EventSeries

TITLE = "Training session"
NOBODY = uuid.UUID(int=0)  # the creator of an entry whose event names no actor


def _stale(series: EventSeries, event: EventEnvelope[Any]) -> bool:
    return series.source_changed_at is not None and event.occurred_at < series.source_changed_at


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def keep(session: AsyncSession, event: EventEnvelope[Any], *, time_zone: str, default_minutes: int) -> None:
    """Create or update the session's entry (``training.session.scheduled`` / ``.updated``)."""
    data = event.data
    if data.calendar_event_id is not None:
        linked = await repository.get_series(session, data.calendar_event_id)
        if linked is not None and linked.org_id == event.org_id:
            return
    series = await repository.series_of_training_session(session, data.session_id)
    if series is not None and _stale(series, event):
        return
    if series is None:
        series = EventSeries(
            id=uuid.uuid4(),
            org_id=event.org_id,
            kind="training_session",
            title=TITLE,
            created_by=event.actor_id or NOBODY,
            cancelled=False,
            training_session_id=data.session_id,
            time_zone=time_zone,
        )
        session.add(series)
    series.team_id = data.team_id
    series.player_ids = list(data.player_ids)
    series.visibility = "team" if data.team_id is not None else "private"
    series.starts_local = recurrence.to_local(_aware(data.starts_at), series.time_zone)
    series.duration_minutes = data.planned_duration_minutes or default_minutes
    series.planned_rpe = data.planned_rpe
    series.rrule = None
    series.first_starts_at, series.last_ends_at = occurrences.span(occurrences.Schedule.of(series))
    series.source_changed_at = event.occurred_at
    await session.flush()


async def cancel(session: AsyncSession, event: EventEnvelope[Any]) -> None:
    """``training.session.cancelled``: the entry stays, marked cancelled."""
    series = await repository.series_of_training_session(session, event.data.session_id)
    if series is None or _stale(series, event):
        return
    series.cancelled = True
    series.source_changed_at = event.occurred_at
    await session.flush()
