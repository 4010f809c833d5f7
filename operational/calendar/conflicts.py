"""Conflicts explained for people: "Rink A is booked by U16 from 17:00 to 18:30 on Tue 3 Mar 2026".

Resource double-booking is hard (the booking is refused, or recorded as a club admin's override); a team in two places,
a player in two events and a player whose availability does not suit the event are soft (warnings, still saved).

A warning tells the caller only what they may know: the other event's title and place only when they may read that
event ("Elias is busy at that time" otherwise), a player's restrictions and expected return only when they are staff
of the player's team (or medical staff, or the player and their guardian); everyone else reads "not available" or
"restricted". Names come from the caller's own club only.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import occurrences, policies, recurrence, repository
from operational.calendar.models import Booking, EventSeries, Resource
from operational.calendar.schemas import ScheduleConflict
from operational.kit.auth import Principal

MAX_WARNINGS = 50
# the longest event is a day: an occurrence that started up to a day earlier can still overlap
LONGEST_EVENT = timedelta(days=1)
# What each restriction rules out; "unavailable" rules out every event with play or training in it.
UNSUITABLE_WITH = {
    "game": {"no_contact", "no_on_ice", "no_high_intensity"},
    "practice": {"no_contact", "no_on_ice"},
    "training_session": {"no_high_intensity", "no_strength_lower_body", "no_strength_upper_body"},
}


def when(starts_at: datetime, ends_at: datetime, zone_name: str) -> str:
    start, end = recurrence.to_local(starts_at, zone_name), recurrence.to_local(ends_at, zone_name)
    return f"from {start:%H:%M} to {end:%H:%M} on {start:%a} {start.day} {start:%b %Y}"


async def describe_bookings(
    session: AsyncSession, principal: Principal, resource: Resource, bookings: Sequence[Booking], zone_name: str
) -> list[ScheduleConflict]:
    """Who holds the resource: the team's name, or the booking's purpose when the caller may read the booking."""
    teams = await repository.team_names(session, resource.org_id, {b.team_id for b in bookings})

    def holder(booking: Booking) -> str:
        if booking.team_id in teams:
            return teams[booking.team_id]
        if booking.purpose and policies.can_read_booking(principal, booking):
            return booking.purpose
        return "another booking"

    return [
        ScheduleConflict(
            kind="resource_booked",
            severity="hard",
            message=f"{resource.name} is booked by {holder(b)} {when(b.starts_at, b.ends_at, zone_name)}.",
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            booking_id=b.id,
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


@dataclass(frozen=True)
class _Other:
    schedule: occurrences.Schedule
    changes: tuple[occurrences.Change, ...]
    same_team: bool
    shared: tuple[uuid.UUID, ...]
    readable: bool


def _clashing(live: Sequence[occurrences.Occurrence], others: Sequence[_Other], window_from, window_to):
    """(other, its occurrence) for every occurrence of another series that overlaps one of ``live``.

    CPU work (expanding every other series, comparing sorted starts): runs in a worker thread."""
    ordered = sorted(live, key=lambda o: o.starts_at)
    starts = [o.starts_at for o in ordered]
    latest_end = list(accumulate((o.ends_at for o in ordered), max))
    found = []
    for other in others:
        for theirs in occurrences.expand(other.schedule, other.changes, window_from - LONGEST_EVENT, window_to):
            if theirs.cancelled:
                continue
            before = bisect_left(starts, theirs.ends_at)  # ours that start before theirs ends
            if before and latest_end[before - 1] > theirs.starts_at:
                found.append((other, theirs))
                if len(found) >= MAX_WARNINGS:
                    return found
    return found


async def soft_conflicts(
    session: AsyncSession, principal: Principal, series: EventSeries, planned: Sequence[occurrences.Occurrence]
) -> list[ScheduleConflict]:
    live = [o for o in planned if not o.cancelled]
    if not live:
        return []
    window_from, window_to = min(o.starts_at for o in live), max(o.ends_at for o in live)
    roster_cache: dict = {}
    mine = await _participants(session, series, roster_cache)
    candidates = await repository.series_in_window(
        session, series.org_id, window_from - LONGEST_EVENT, window_to, exclude_id=series.id
    )
    exceptions = await repository.exceptions_of(session, [o.id for o in candidates])
    others = []
    for other in candidates:
        same_team = series.team_id is not None and other.team_id == series.team_id
        shared = tuple(sorted(mine & await _participants(session, other, roster_cache)))
        if same_team or shared:
            changes = tuple(occurrences.Change.of(e) for e in exceptions[other.id])
            others.append(
                _Other(occurrences.Schedule.of(other), changes, same_team, shared, policies.can_read(principal, other))
            )
    clashes = await occurrences.in_worker(_clashing, live, others, window_from, window_to) if others else []
    teams = await repository.team_names(session, series.org_id, {series.team_id})
    names = await repository.person_names(session, series.org_id, mine)
    warnings = [
        warning
        for other, theirs in clashes
        for warning in _double_booked(other, theirs, teams.get(series.team_id, "The team"), names, series.time_zone)
    ]
    warnings += await _availability_conflicts(session, principal, series, live, mine, names)
    return warnings[:MAX_WARNINGS]


def _double_booked(other: _Other, theirs, team: str, names: dict, zone_name: str) -> list[ScheduleConflict]:
    span = when(theirs.starts_at, theirs.ends_at, zone_name)
    what = f"'{theirs.title}'" + (f" ({theirs.location})" if theirs.location else "")
    event_id = other.schedule.series_id if other.readable else None
    common = {"severity": "soft", "starts_at": theirs.starts_at, "ends_at": theirs.ends_at, "other_event_id": event_id}
    if other.same_team:
        message = f"{team} is already at {what} {span}." if other.readable else f"{team} is already busy {span}."
        return [ScheduleConflict(kind="team_double_booked", message=message, **common)]
    return [
        ScheduleConflict(
            kind="player_double_booked",
            message=f"{names.get(player_id, 'A player')} is also in {what} {span}."
            if other.readable
            else f"{names.get(player_id, 'A player')} is busy at that time ({span}).",
            player_id=player_id,
            **common,
        )
        for player_id in other.shared
    ]


async def _availability_conflicts(session, principal, series, live, players, names) -> list[ScheduleConflict]:
    if series.kind not in UNSUITABLE_WITH:
        return []
    unavailable = await repository.availability_of(session, series.org_id, players)
    teams_of = await repository.teams_of_players(session, series.org_id, [a.player_id for a in unavailable])
    warnings = []
    kind = series.kind.replace("_", " ")
    for availability in unavailable:
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
        name = names.get(availability.player_id, "A player")
        if policies.may_see_restrictions(principal, teams_of[availability.player_id], availability.player_id):
            detail = f" ({', '.join(sorted(r.replace('_', ' ') for r in ruled_out))})" if ruled_out else ""
            period = f" until {until:%a} {until.day} {until:%b}" if until else ""
            message = f"{name} is {availability.status}{detail}{period}: a {kind} is unsuitable."
        else:
            state = "not available" if availability.status == "unavailable" else "restricted"
            message = f"{name} is {state}: a {kind} may be unsuitable."
        warnings.append(
            ScheduleConflict(
                kind="player_unavailable",
                severity="soft",
                message=message,
                starts_at=affected.starts_at,
                ends_at=affected.ends_at,
                player_id=availability.player_id,
            )
        )
    return warnings
