"""Calendar business rules for events: creating (or only checking) them, their recurrence, edits of one occurrence,
of it and the following ones, or of the whole series, and the lists.

Never commits: the request's unit of work does, with the events recorded here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import conflicts, events, loaders, occurrences, policies, recurrence, repository
from operational.calendar.bookings import service as bookings
from operational.calendar.config import CalendarSettings
from operational.calendar.models import EventSeries, OccurrenceException, outbox
from operational.calendar.schemas import EventCheck, EventCreate, EventUpdate, ScheduleConflict, Window
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue, NotFound
from operational.kit.pagination import PageParams, paginate

MAX_WINDOW = timedelta(days=400)
DEFAULT_WINDOW = timedelta(days=30)


def _checked(action, field: str):
    try:
        return action()
    except recurrence.RecurrenceError as exc:
        raise InvalidValue(str(exc), field=field) from exc


async def _set_schedule(
    series: EventSeries, starts_at: datetime | None, *, rrule: str | None = None, new_rule: bool = False
) -> None:
    """Move the first start and/or set the rule (``new_rule``; None or "" makes a one-off), checked and bounded,
    and recompute the span the list queries prefilter on."""
    if starts_at is not None:
        series.starts_local = recurrence.to_local(starts_at, series.time_zone)
    rule = (rrule or None) if new_rule else series.rrule
    if rule:
        try:
            rule = await occurrences.in_worker(recurrence.normalize_rule, rule, series.starts_local, series.time_zone)
        except recurrence.RecurrenceError as exc:
            raise InvalidValue(str(exc), field="rrule") from exc
    series.rrule = rule
    series.first_starts_at, series.last_ends_at = await occurrences.in_worker(
        occurrences.span, occurrences.Schedule.of(series)
    )


async def _occurrences(series: EventSeries, exceptions=()) -> list[occurrences.Occurrence]:
    changes = [occurrences.Change.of(e) for e in exceptions]
    return await occurrences.in_worker(occurrences.expand_all, occurrences.Schedule.of(series), changes)


def _not_from_training(series: EventSeries) -> None:
    if series.training_session_id is not None:
        raise Conflict(
            "This entry follows its planned training session: change or cancel the session in training instead."
        )


async def _check_players(session, principal: Principal, player_ids, kind: str) -> None:
    """Players named in an event: of the caller's club (404), and theirs to invite (403): themself or their minor,
    any player for club admins (and medical staff, for an appointment), their teams' players for coaches."""
    await loaders.person.load_all(session, principal, player_ids, field="player_ids")
    if policies.is_admin(principal) or (kind == "medical_appointment" and principal.has_any_role("medical_staff")):
        return
    for index, player_id in enumerate(player_ids):
        if principal.acts_for(player_id):
            continue
        teams = await repository.teams_of(session, principal.org_id, player_id)
        if not (policies.is_staff(principal) and teams & principal.team_ids):
            raise Forbidden(
                "That player is not on a team you coach; ask their coach or a club admin to invite them.",
                field=f"player_ids.{index}",
            )


async def _new_series(
    session: AsyncSession, principal: Principal, body: EventCreate, settings: CalendarSettings
) -> EventSeries:
    """The series ``body`` describes, every id in it resolved and checked; not saved."""
    if body.team_id is not None:
        await loaders.schedulable_team.load(session, principal, body.team_id, field="team_id")
    await _check_players(session, principal, body.player_ids, body.kind)
    policies.ensure_can_create(principal, body.team_id, body.player_ids, body.kind)
    policies.ensure_can_give_visibility(principal, body.visibility)
    if body.resource_id is not None:
        await loaders.bookable_resource.load(session, principal, body.resource_id, field="resource_id")
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
    await _set_schedule(series, body.starts_at, rrule=body.rrule, new_rule=True)
    return series


async def create_event(
    session: AsyncSession, principal: Principal, body: EventCreate, settings: CalendarSettings
) -> tuple[EventSeries, list[ScheduleConflict]]:
    series = await _new_series(session, principal, body, settings)
    await repository.add(session, series)
    planned = await _occurrences(series)
    warnings = []
    if series.resource_id is not None:
        warnings += await bookings.book_occurrences(session, principal, series, planned, body.override_reason)
    warnings += await conflicts.soft_conflicts(session, principal, series, planned)
    await outbox.record(session, events.event_created(series, principal))
    return series, warnings


async def check_event(
    session: AsyncSession, principal: Principal, body: EventCreate, settings: CalendarSettings
) -> EventCheck:
    """What creating the event would run into, without saving anything (the same checks, the same 4xx)."""
    series = await _new_series(session, principal, body, settings)
    planned = await _occurrences(series)
    found = []
    if series.resource_id is not None:
        found += await bookings.check_occurrences(session, principal, series, planned)
    found += await conflicts.soft_conflicts(session, principal, series, planned)
    return EventCheck(occurrences=len(planned), conflicts=found)


async def occurrence_of(session: AsyncSession, series: EventSeries, occurrence_start: datetime):
    """The occurrence of ``series`` originally starting at ``occurrence_start``, with its exception if any."""
    occurrence_start = occurrence_start.astimezone(UTC)
    schedule = occurrences.Schedule.of(series)
    if series.cancelled or not occurrences.occurs_at(schedule, occurrence_start):
        raise NotFound(
            f"'{series.title}' has no occurrence starting at {occurrence_start:%Y-%m-%dT%H:%M:%SZ}.",
            field="occurrence_start",
        )
    exception = await repository.get_exception(session, series.id, occurrence_start)
    occurrence = occurrences.original(schedule, recurrence.to_local(occurrence_start, series.time_zone))
    return (occurrences.apply_change(occurrence, exception) if exception else occurrence), exception


async def update_event(
    session: AsyncSession,
    principal: Principal,
    series: EventSeries,
    body: EventUpdate,
    *,
    scope: str = "all",
    occurrence_start: datetime | None = None,
) -> tuple[EventSeries, list[ScheduleConflict]]:
    _not_from_training(series)
    changes = body.changes()
    if "visibility" in changes:
        policies.ensure_can_give_visibility(principal, changes["visibility"])
    if "player_ids" in changes:
        await _check_players(session, principal, changes["player_ids"], changes.get("kind", series.kind))
    if occurrence_start is not None:
        occurrence, exception = await occurrence_of(session, series, occurrence_start)
        occurrence_start = occurrence.occurrence_start
        if scope == "following" and occurrence_start == series.first_starts_at:
            scope = "all"
        if scope == "this":
            return series, await _update_one(session, principal, series, occurrence, exception, changes)
        if scope == "following":
            series = await _split(session, series, occurrence_start)
    for name in ("kind", "title", "location", "notes", "visibility", "duration_minutes", "planned_rpe", "player_ids"):
        if name in changes:
            setattr(series, name, changes[name])
    was = series.starts_local
    await _set_schedule(series, changes.get("starts_at"), rrule=changes.get("rrule"), new_rule="rrule" in changes)
    await session.flush()
    if timedelta(0) < abs(series.starts_local - was) < timedelta(days=1):  # a new time of day
        await repository.shift_occurrences(session, series.id, series.starts_local - was, series.time_zone)
    planned = await _occurrences(series, (await repository.exceptions_of(session, [series.id]))[series.id])
    warnings = []
    if series.resource_id is not None and {"starts_at", "duration_minutes", "rrule"} & changes.keys():
        await bookings.cancel_series_bookings(session, principal, series.id)
        warnings += await bookings.book_occurrences(session, principal, series, planned, None)
    warnings += await conflicts.soft_conflicts(session, principal, series, planned)
    await outbox.record(session, events.event_updated(series, principal, scope, occurrence_start, sorted(changes)))
    return series, warnings


async def _update_one(session, principal, series, occurrence, exception, changes: dict):
    if {"kind", "rrule", "visibility", "player_ids", "planned_rpe"} & changes.keys():
        raise InvalidValue(
            "kind, rrule, visibility, players and the planned RPE change for the whole series (scope=all).",
            field="scope",
        )
    if exception is None:
        exception = OccurrenceException(
            id=uuid.uuid4(), org_id=series.org_id, series_id=series.id, occurrence_start=occurrence.occurrence_start
        )
        session.add(exception)
    starts_at = changes.get("starts_at") or occurrence.starts_at
    if "starts_at" in changes or "duration_minutes" in changes:
        zone_name = series.time_zone
        length = recurrence.to_local(occurrence.ends_at, zone_name) - recurrence.to_local(
            occurrence.starts_at, zone_name
        )
        if "duration_minutes" in changes:
            length = timedelta(minutes=changes["duration_minutes"])
        exception.starts_at = starts_at
        exception.ends_at = occurrences.ends_at(recurrence.to_local(starts_at, zone_name), length, zone_name)
    for name in ("title", "location", "notes"):
        if name in changes:
            setattr(exception, name, changes[name])
    await session.flush()
    moved = occurrences.apply_change(occurrence, occurrences.Change.of(exception))
    warnings = []
    if series.resource_id is not None and {"starts_at", "duration_minutes"} & changes.keys():
        await bookings.cancel_series_bookings(session, principal, series.id, only=occurrence.occurrence_start)
        warnings += await bookings.book_occurrences(session, principal, series, [moved], None)
    warnings += await conflicts.soft_conflicts(session, principal, series, [moved])
    changed = sorted(changes)
    await outbox.record(session, events.event_updated(series, principal, "this", occurrence.occurrence_start, changed))
    return warnings


async def _split(session, series: EventSeries, occurrence_start: datetime) -> EventSeries:
    """End ``series`` before the occurrence and continue it as a new series from there ("this and following")."""
    split_local = recurrence.to_local(occurrence_start, series.time_zone)
    before, after = await occurrences.in_worker(
        recurrence.split_rules, series.rrule, series.starts_local, split_local, series.time_zone
    )
    successor = EventSeries(
        id=uuid.uuid4(),
        **{
            c: getattr(series, c)
            for c in ("org_id", "kind", "title", "team_id", "player_ids", "resource_id", "location", "notes")
        },
        visibility=series.visibility,
        time_zone=series.time_zone,
        duration_minutes=series.duration_minutes,
        planned_rpe=series.planned_rpe,
        rsvp_deadline_minutes=series.rsvp_deadline_minutes,
        created_by=series.created_by,
        cancelled=False,
        split_from_id=series.id,
        starts_local=split_local,
    )
    await _set_schedule(series, None, rrule=before, new_rule=True)
    await _set_schedule(successor, None, rrule=after, new_rule=True)
    await repository.add(session, successor)
    await repository.move_from_occurrence(session, series.id, successor.id, occurrence_start)
    return successor


async def cancel_event(
    session: AsyncSession,
    principal: Principal,
    series: EventSeries,
    *,
    scope: str = "all",
    occurrence_start: datetime | None = None,
) -> EventSeries:
    _not_from_training(series)
    exception = None
    if occurrence_start is not None:
        occurrence, exception = await occurrence_of(session, series, occurrence_start)
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
        before, _ = await occurrences.in_worker(
            recurrence.split_rules, series.rrule, series.starts_local, split_local, series.time_zone
        )
        await _set_schedule(series, None, rrule=before, new_rule=True)
        await bookings.cancel_series_bookings(session, principal, series.id, since=occurrence_start)
    else:
        series.cancelled = True
        await bookings.cancel_series_bookings(session, principal, series.id)
    await session.flush()
    await outbox.record(session, events.event_cancelled(series, principal, scope, occurrence_start))
    return series


# --- lists ----------------------------------------------------------------------------------------------------------


async def _followed(session, principal: Principal, team_id, player_id) -> set[uuid.UUID] | None:
    """The teams a list is filtered to: the team asked for, or the player's teams (their events list them, or
    their team); None when neither is asked for."""
    if team_id is not None:
        await loaders.followed_team.load(session, principal, team_id, field="team_id")
    if player_id is None:
        return None if team_id is None else {team_id}
    await loaders.person.load(session, principal, player_id, field="player_id")
    player_teams = await repository.teams_of(session, principal.org_id, player_id)
    may_follow = principal.acts_for(player_id) or policies.is_admin(principal)
    if not may_follow and not (policies.is_staff(principal) and player_teams & principal.team_ids):
        raise Forbidden(
            "You can list your own events (or your minor's), and staff their teams' players'.", field="player_id"
        )
    if team_id is not None:
        return {team_id}
    return player_teams | principal.team_ids if player_id == principal.user_id else player_teams


def _expand_many(plans, window_from: datetime, window_to: datetime) -> list[tuple[occurrences.Occurrence, int]]:
    """Every occurrence of each planned series in the window, with the index of its series (in a worker thread)."""
    rows = []
    for index, (schedule, changes) in enumerate(plans):
        rows += [(o, index) for o in occurrences.expand(schedule, changes, window_from, window_to)]
    rows.sort(key=lambda row: (row[0].starts_at, str(row[0].series_id)))
    return rows


async def list_occurrences(
    session: AsyncSession,
    principal: Principal,
    window: Window,
    *,
    team_id: uuid.UUID | None,
    player_id: uuid.UUID | None,
    kind: str | None,
    page: PageParams,
) -> tuple[list[tuple[occurrences.Occurrence, EventSeries, str | None]], int]:
    """What happens when: (occurrence, its series, where) for every occurrence in the window the caller may see."""
    window_from = window.starts or datetime.now(UTC)
    window_to = window.ends or window_from + DEFAULT_WINDOW
    if window_to <= window_from or window_to - window_from > MAX_WINDOW:
        raise InvalidValue("'to' must be after 'from', at most 400 days later.", field="to")
    team_ids = await _followed(session, principal, team_id, player_id)
    found = await repository.series_in_window(
        session,
        principal.org_id,
        window_from,
        window_to,
        scope=policies.event_scope(principal),
        team_ids=team_ids,
        player_id=player_id,
        kind=kind,
    )
    exceptions = await repository.exceptions_of(session, [s.id for s in found])
    plans = [(occurrences.Schedule.of(s), [occurrences.Change.of(e) for e in exceptions[s.id]]) for s in found]
    rows = await occurrences.in_worker(_expand_many, plans, window_from, window_to)
    places = await repository.resource_names(session, principal.org_id, {s.resource_id for s in found})
    shown = rows[page.offset : page.offset + page.limit]
    return [(o, found[i], o.location or places.get(found[i].resource_id)) for o, i in shown], len(rows)


async def list_series(
    session: AsyncSession,
    principal: Principal,
    window: Window,
    *,
    team_id: uuid.UUID | None,
    player_id: uuid.UUID | None,
    kind: str | None,
    created_by: uuid.UUID | Literal["me"] | None,
    page: PageParams,
) -> tuple[list[EventSeries], int]:
    """The series (and one-off events) the caller may read: a coach's own with ``created_by=me``."""
    team_ids = await _followed(session, principal, team_id, player_id)
    creator = None
    if created_by == "me":
        creator = principal.user_id
    elif created_by is not None:
        creator = (await loaders.person.load(session, principal, created_by, field="created_by")).user_id
    query = repository.series_list(
        principal.org_id,
        scope=policies.event_scope(principal),
        team_ids=team_ids,
        player_id=player_id,
        kind=kind,
        created_by=creator,
        window_from=window.starts,
        window_to=window.ends,
    )
    return await paginate(session, query, page, order_by=repository.SERIES_ORDER)
