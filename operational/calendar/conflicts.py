"""Conflicts explained for people: "Rink A is booked by U16 from 17:00 to 18:30 on Tue 3 Mar 2026".

Resource double-booking is hard (the booking is refused, or recorded as a club admin's override); a team in two places,
a player in two events and a player whose availability does not suit the event are soft (warnings, still saved).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import recurrence, repository
from operational.calendar.models import Booking, EventSeries, Resource
from operational.calendar.schemas import ScheduleConflict

MAX_WARNINGS = 50
# What each restriction rules out; "unavailable" rules out every event with play or training in it.
UNSUITABLE_WITH = {
    "game": {"no_contact", "no_on_ice", "no_high_intensity"},
    "practice": {"no_contact", "no_on_ice"},
    "training_session": {"no_high_intensity", "no_strength_lower_body", "no_strength_upper_body"},
}


def when(starts_at: datetime, ends_at: datetime, zone_name: str) -> str:
    start, end = recurrence.to_local(starts_at, zone_name), recurrence.to_local(ends_at, zone_name)
    return f"from {start:%H:%M} to {end:%H:%M} on {start:%a} {start.day} {start:%b %Y}"


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


async def describe_bookings(
    session: AsyncSession, resource: Resource, bookings: Sequence[Booking], zone_name: str
) -> list[ScheduleConflict]:
    teams = await repository.team_names(session, {b.team_id for b in bookings})
    return [
        ScheduleConflict(
            kind="resource_booked",
            severity="hard",
            message=f"{resource.name} is booked by {teams.get(b.team_id, b.purpose or 'another booking')} "
            f"{when(b.starts_at, b.ends_at, zone_name)}.",
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            other_id=b.id,
        )
        for b in bookings
    ]


async def _participants(session: AsyncSession, series: EventSeries, cache: dict) -> set[uuid.UUID]:
    players = set(series.player_ids or ())
    if series.team_id is not None:
        if series.team_id not in cache:
            cache[series.team_id] = await repository.team_players(session, series.org_id, series.team_id)
        players |= cache[series.team_id]
    return players


async def soft_conflicts(
    session: AsyncSession,
    series: EventSeries,
    occurrences: Sequence[recurrence.Occurrence],
    *,
    limit: int,
) -> list[ScheduleConflict]:
    live = [o for o in occurrences if not o.cancelled]
    if not live:
        return []
    window_from, window_to = min(o.starts_at for o in live), max(o.ends_at for o in live)
    roster_cache: dict = {}
    mine = await _participants(session, series, roster_cache)
    others = await repository.series_in_window(session, series.org_id, window_from, window_to, exclude_id=series.id)
    exceptions = await repository.exceptions_of(session, [o.id for o in others])
    teams = await repository.team_names(session, {series.team_id, *(o.team_id for o in others)})
    warnings: list[ScheduleConflict] = []
    shared_by_series: dict[uuid.UUID, set[uuid.UUID]] = {}
    for other in others:
        theirs = await _participants(session, other, roster_cache)
        shared_by_series[other.id] = mine & theirs
    names = await repository.person_names(session, set().union(*shared_by_series.values(), mine))
    zone_name = series.time_zone
    for other in others:
        same_team = series.team_id is not None and other.team_id == series.team_id
        shared = shared_by_series[other.id]
        if not (same_team or shared):
            continue
        # an occurrence that started up to a day earlier (the longest event) can still overlap
        their_occurrences = recurrence.expand(
            other, exceptions[other.id], window_from - timedelta(days=1), window_to, limit
        )
        for theirs in their_occurrences:
            if theirs.cancelled:
                continue
            for occurrence in live:
                if not _overlaps(occurrence.starts_at, occurrence.ends_at, theirs.starts_at, theirs.ends_at):
                    continue
                at = f" ({theirs.location})" if theirs.location else ""
                span = when(theirs.starts_at, theirs.ends_at, zone_name)
                if same_team:
                    team = teams.get(series.team_id, "The team")
                    warnings.append(
                        ScheduleConflict(
                            kind="team_double_booked",
                            severity="soft",
                            message=f"{team} is already at '{theirs.title}'{at} {span}.",
                            starts_at=theirs.starts_at,
                            ends_at=theirs.ends_at,
                            other_id=other.id,
                        )
                    )
                    continue
                for player_id in sorted(shared):
                    warnings.append(
                        ScheduleConflict(
                            kind="player_double_booked",
                            severity="soft",
                            message=f"{names.get(player_id, 'A player')} is also in '{theirs.title}'{at} {span}.",
                            starts_at=theirs.starts_at,
                            ends_at=theirs.ends_at,
                            other_id=player_id,
                        )
                    )
                if len(warnings) >= MAX_WARNINGS:
                    return warnings
    warnings += await _availability_conflicts(session, series, live, mine, names)
    return warnings[:MAX_WARNINGS]


async def _availability_conflicts(session, series, live, players, names) -> list[ScheduleConflict]:
    if series.kind not in UNSUITABLE_WITH:
        return []
    warnings = []
    for availability in await repository.availability_of(session, series.org_id, players):
        ruled_out = set(availability.restrictions or ()) & UNSUITABLE_WITH[series.kind]
        if availability.status != "unavailable" and not ruled_out:
            continue
        until = availability.expected_until
        affected = next(
            (
                o
                for o in live
                if availability.effective_from <= recurrence.to_local(o.starts_at, series.time_zone).date()
                and (until is None or recurrence.to_local(o.starts_at, series.time_zone).date() <= until)
            ),
            None,
        )
        if affected is None:
            continue
        detail = f" ({', '.join(sorted(r.replace('_', ' ') for r in ruled_out))})" if ruled_out else ""
        period = f" until {until:%a} {until.day} {until:%b}" if until else ""
        kind = series.kind.replace("_", " ")
        warnings.append(
            ScheduleConflict(
                kind="player_unavailable",
                severity="soft",
                message=f"{names.get(availability.player_id, 'A player')} is {availability.status}{detail}"
                f"{period}: a {kind} is unsuitable.",
                starts_at=affected.starts_at,
                ends_at=affected.ends_at,
                other_id=availability.player_id,
            )
        )
    return warnings


def horizon(settings, first: datetime) -> datetime:
    return first + timedelta(days=settings.expansion_horizon_days)
