"""Calendar business rules: events and their recurrence, occurrence edits, RSVPs and attendance.

Never commits: the request's unit of work does, with the events recorded here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import bookings, conflicts, events, policies, recurrence, repository
from operational.calendar.config import CalendarSettings
from operational.calendar.models import Attendance, EventSeries, OccurrenceException, Rsvp, outbox
from operational.calendar.schemas import AttendanceWrite, EventCreate, EventUpdate, RsvpWrite, ScheduleConflict
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, HubError, NotFound

MAX_WINDOW = timedelta(days=400)


def _checked(action, field: str):
    try:
        return action()
    except recurrence.RecurrenceError as exc:
        raise HubError(str(exc), field=field) from exc


def _set_schedule(series: EventSeries, starts_at: datetime | None, rrule: str | None) -> None:
    if starts_at is not None:
        series.starts_local = recurrence.to_local(starts_at, series.time_zone)
    if rrule is not None:
        series.rrule = (
            _checked(lambda: recurrence.normalize_rule(rrule, series.starts_local, series.time_zone), "rrule")
            if rrule
            else None
        )
    series.first_starts_at, series.last_ends_at = recurrence.span(
        series.rrule, series.starts_local, series.duration_minutes, series.time_zone
    )


def _upcoming(series: EventSeries, exceptions, settings: CalendarSettings, since: datetime | None = None):
    start = since or series.first_starts_at
    return recurrence.expand(series, exceptions, start, conflicts.horizon(settings, start), settings.max_occurrences)


async def _check_and_book(session, principal, series, occurrences, override_reason, settings) -> list[ScheduleConflict]:
    warnings = []
    if series.resource_id is not None:
        warnings += await bookings.book_occurrences(session, principal, series, occurrences, override_reason)
    return warnings + await conflicts.soft_conflicts(session, series, occurrences, limit=settings.max_occurrences)


async def create_event(
    session: AsyncSession, principal: Principal, body: EventCreate, settings: CalendarSettings
) -> tuple[EventSeries, list[ScheduleConflict]]:
    policies.ensure_can_create(principal, body.team_id, body.player_ids, body.kind)
    zone_name = body.time_zone or settings.default_time_zone
    _checked(lambda: recurrence.zone(zone_name), "time_zone")
    series = EventSeries(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        created_by=principal.user_id,
        time_zone=zone_name,
        cancelled=False,
        **body.model_dump(exclude={"starts_at", "rrule", "time_zone", "override_reason"}),
    )
    _set_schedule(series, body.starts_at, body.rrule or "")
    await repository.add(session, series)
    warnings = await _check_and_book(
        session, principal, series, _upcoming(series, [], settings), body.override_reason, settings
    )
    await outbox.record(session, events.event_created(series, principal))
    return series, warnings


async def get_event(session: AsyncSession, principal: Principal, series_id: uuid.UUID) -> EventSeries:
    return policies.load_readable(principal, await repository.get_series(session, series_id))


async def _occurrence(session, series: EventSeries, occurrence_start: datetime):
    occurrence_start = occurrence_start.astimezone(UTC)
    if series.cancelled or not recurrence.occurs_at(series, occurrence_start):
        raise NotFound(f"'{series.title}' has no occurrence starting at {occurrence_start:%Y-%m-%dT%H:%M:%SZ}.")
    exception = await repository.get_exception(session, series.id, occurrence_start)
    duration = timedelta(minutes=series.duration_minutes)
    occurrence = recurrence.Occurrence(
        series.id,
        occurrence_start,
        occurrence_start,
        occurrence_start + duration,
        series.title,
        series.location,
        series.notes,
    )
    return (recurrence.apply_exception(occurrence, exception) if exception else occurrence), exception


async def update_event(
    session: AsyncSession,
    principal: Principal,
    series_id: uuid.UUID,
    body: EventUpdate,
    settings: CalendarSettings,
    *,
    scope: str = "all",
    occurrence_start: datetime | None = None,
) -> tuple[EventSeries, list[ScheduleConflict]]:
    series = policies.load_editable(principal, await repository.lock_series(session, series_id))
    changed = sorted(body.model_fields_set)
    if occurrence_start is not None:
        occurrence, exception = await _occurrence(session, series, occurrence_start)
        occurrence_start = occurrence.occurrence_start
        if scope == "following" and occurrence_start == series.first_starts_at:
            scope = "all"
        if scope == "this":
            return series, await _update_one(session, principal, series, occurrence, exception, body, changed)
        if scope == "following":
            series = await _split(session, series, occurrence_start)
    for name in ("kind", "title", "location", "notes", "visibility", "duration_minutes", "player_ids"):
        if name in body.model_fields_set and getattr(body, name) is not None:
            setattr(series, name, getattr(body, name))
    _set_schedule(series, body.starts_at, body.rrule if "rrule" in body.model_fields_set else None)
    await session.flush()
    exceptions = (await repository.exceptions_of(session, [series.id]))[series.id]
    warnings = []
    if series.resource_id is not None and {"starts_at", "duration_minutes", "rrule"} & set(changed):
        await bookings.cancel_series_bookings(session, principal, series.id)
        warnings += await bookings.book_occurrences(
            session, principal, series, _upcoming(series, exceptions, settings), None
        )
    warnings += await conflicts.soft_conflicts(
        session, series, _upcoming(series, exceptions, settings), limit=settings.max_occurrences
    )
    await outbox.record(session, events.event_updated(series, principal, scope, occurrence_start, changed))
    return series, warnings


async def _update_one(session, principal, series, occurrence, exception, body: EventUpdate, changed):
    if {"kind", "rrule", "visibility", "player_ids"} & body.model_fields_set:
        raise HubError("kind, rrule, visibility and players change for the whole series (scope=all).", field="scope")
    if exception is None:
        exception = OccurrenceException(
            id=uuid.uuid4(), org_id=series.org_id, series_id=series.id, occurrence_start=occurrence.occurrence_start
        )
        session.add(exception)
    starts_at = body.starts_at or occurrence.starts_at
    minutes = body.duration_minutes or int((occurrence.ends_at - occurrence.starts_at).total_seconds() // 60)
    exception.starts_at, exception.ends_at = starts_at, starts_at + timedelta(minutes=minutes)
    for name in ("title", "location", "notes"):
        if name in body.model_fields_set:
            setattr(exception, name, getattr(body, name))
    await session.flush()
    moved = recurrence.apply_exception(occurrence, exception)
    warnings = []
    if series.resource_id is not None and (body.starts_at or body.duration_minutes):
        await bookings.cancel_series_bookings(session, principal, series.id, only=occurrence.occurrence_start)
        warnings += await bookings.book_occurrences(session, principal, series, [moved], None)
    warnings += await conflicts.soft_conflicts(session, series, [moved], limit=10)
    await outbox.record(session, events.event_updated(series, principal, "this", occurrence.occurrence_start, changed))
    return warnings


async def _split(session, series: EventSeries, occurrence_start: datetime) -> EventSeries:
    """End ``series`` before the occurrence and continue it as a new series from there ("this and following")."""
    split_local = recurrence.to_local(occurrence_start, series.time_zone)
    before, after = recurrence.split_rules(series.rrule, series.starts_local, split_local)
    successor = EventSeries(
        id=uuid.uuid4(),
        **{
            c: getattr(series, c)
            for c in ("org_id", "kind", "title", "team_id", "player_ids", "resource_id", "location", "notes")
        },
        visibility=series.visibility,
        time_zone=series.time_zone,
        duration_minutes=series.duration_minutes,
        rsvp_deadline_minutes=series.rsvp_deadline_minutes,
        created_by=series.created_by,
        cancelled=False,
        split_from_id=series.id,
        starts_local=split_local,
        rrule=after,
    )
    series.rrule = before
    _set_schedule(series, None, None)
    _set_schedule(successor, None, None)
    await repository.add(session, successor)
    await repository.move_from_occurrence(session, series.id, successor.id, occurrence_start)
    if series.resource_id is not None:
        await repository.move_bookings(session, series.id, successor.id, occurrence_start)
    return successor


async def cancel_event(
    session: AsyncSession,
    principal: Principal,
    series_id: uuid.UUID,
    *,
    scope: str = "all",
    occurrence_start: datetime | None = None,
) -> EventSeries:
    series = policies.load_editable(principal, await repository.lock_series(session, series_id))
    if occurrence_start is not None:
        occurrence, exception = await _occurrence(session, series, occurrence_start)
        occurrence_start = occurrence.occurrence_start
        if scope == "following" and occurrence_start == series.first_starts_at:
            scope = "all"
    if scope == "this":
        if exception is None:
            exception = OccurrenceException(
                id=uuid.uuid4(), org_id=series.org_id, series_id=series.id, occurrence_start=occurrence_start
            )
            session.add(exception)
        exception.cancelled = True
        await bookings.cancel_series_bookings(session, principal, series.id, only=occurrence_start)
    elif scope == "following":
        split_local = recurrence.to_local(occurrence_start, series.time_zone)
        series.rrule, _ = recurrence.split_rules(series.rrule, series.starts_local, split_local)
        _set_schedule(series, None, None)
        await bookings.cancel_series_bookings(session, principal, series.id, since=occurrence_start)
    else:
        series.cancelled = True
        await bookings.cancel_series_bookings(session, principal, series.id)
    await session.flush()
    await outbox.record(session, events.event_cancelled(series, principal, scope, occurrence_start))
    return series


async def list_occurrences(
    session: AsyncSession,
    principal: Principal,
    *,
    window_from: datetime,
    window_to: datetime,
    team_id: uuid.UUID | None,
    player_id: uuid.UUID | None,
    kind: str | None,
    limit: int,
    offset: int,
):
    if window_to <= window_from or window_to - window_from > MAX_WINDOW:
        raise HubError("'to' must be after 'from', at most 400 days later.", field="to")
    policies.ensure_can_filter(principal, team_id, player_id)
    team_ids = None
    if team_id is not None:
        team_ids = {team_id}
    elif player_id is not None:
        team_ids = await repository.teams_of(session, principal.org_id, player_id)
        if principal.acts_for(player_id) and player_id == principal.user_id:
            team_ids |= principal.team_ids
    found = await repository.series_in_window(
        session,
        principal.org_id,
        window_from,
        window_to,
        scope=policies.list_scope(principal),
        team_ids=team_ids,
        player_id=player_id,
        kind=kind,
    )
    exceptions = await repository.exceptions_of(session, [s.id for s in found])
    rows = []
    for series in found:
        for occurrence in recurrence.expand(series, exceptions[series.id], window_from, window_to, 5000):
            rows.append((occurrence, series))
    rows.sort(key=lambda pair: (pair[0].starts_at, str(pair[0].series_id)))
    return rows[offset : offset + limit], len(rows)


# --- RSVP and attendance --------------------------------------------------------------------------------------------


async def _is_participant(session, principal: Principal, series: EventSeries, player_id: uuid.UUID) -> bool:
    if player_id in (series.player_ids or ()):
        return True
    if series.team_id is None:
        return False
    if player_id == principal.user_id and series.team_id in principal.team_ids:
        return True
    return player_id in await repository.team_players(session, series.org_id, series.team_id)


async def record_rsvp(
    session: AsyncSession, principal: Principal, series_id: uuid.UUID, occurrence_start: datetime, body: RsvpWrite
) -> Rsvp:
    series = policies.load_readable(principal, await repository.get_series(session, series_id))
    occurrence, _ = await _occurrence(session, series, occurrence_start)
    if occurrence.cancelled:
        raise Conflict("This occurrence is cancelled; there is nothing to answer.")
    player_id = body.player_id or principal.user_id
    policies.ensure_can_answer_for(principal, player_id)
    if not await _is_participant(session, principal, series, player_id):
        raise Forbidden("That player is not invited to this event.", field="player_id")
    now = datetime.now(UTC)
    if series.rsvp_deadline_minutes is not None:
        closes = occurrence.starts_at - timedelta(minutes=series.rsvp_deadline_minutes)
        if now > closes:
            local = recurrence.to_local(closes, series.time_zone)
            raise Conflict(f"Answers closed at {local:%H:%M} on {local:%a} {local.day} {local:%b}; ask the coach.")
    rsvp = await repository.upsert_rsvp(
        session,
        {
            "id": uuid.uuid4(),
            "org_id": series.org_id,
            "series_id": series.id,
            "occurrence_start": occurrence.occurrence_start,
            "player_id": player_id,
            "response": body.response,
            "reason": body.reason,
            "answered_by": principal.user_id,
            "answered_at": now,
        },
    )
    await outbox.record(session, events.rsvp_recorded(rsvp, series, principal))
    return rsvp


async def list_answers(session, principal: Principal, series_id, occurrence_start: datetime, model):
    series = policies.load_readable(principal, await repository.get_series(session, series_id))
    occurrence, _ = await _occurrence(session, series, occurrence_start)
    rows = await repository.answers_for(session, model, series.id, occurrence.occurrence_start)
    if policies.is_staff_of(principal, series.team_id) or policies.can_edit(principal, series):
        return rows
    return [r for r in rows if principal.acts_for(r.player_id)]


async def record_attendance(
    session: AsyncSession,
    principal: Principal,
    series_id: uuid.UUID,
    occurrence_start: datetime,
    body: AttendanceWrite,
) -> list[Attendance]:
    series = policies.load_readable(principal, await repository.get_series(session, series_id))
    policies.ensure_can_take_attendance(principal, series)
    occurrence, _ = await _occurrence(session, series, occurrence_start)
    if occurrence.cancelled:
        raise Conflict("This occurrence is cancelled; attendance cannot be taken.")
    now, saved = datetime.now(UTC), []
    for index, entry in enumerate(body.records):
        if not await _is_participant(session, principal, series, entry.player_id):
            raise HubError("That player is not in this event's team or list.", field=f"records.{index}.player_id")
        record = await repository.upsert_attendance(
            session,
            {
                "id": uuid.uuid4(),
                "org_id": series.org_id,
                "series_id": series.id,
                "occurrence_start": occurrence.occurrence_start,
                "player_id": entry.player_id,
                "status": entry.status,
                "reason": entry.reason,
                "recorded_by": principal.user_id,
                "recorded_at": now,
            },
        )
        await outbox.record(session, events.attendance_recorded(record, series, principal))
        saved.append(record)
    return saved
