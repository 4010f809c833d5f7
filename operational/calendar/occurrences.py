"""Occurrences of a series: expanded in the series' own time zone, one found without walking the series.

A series stores its first start as a *local* wall-clock time plus an IANA zone. Each occurrence is generated in local
time and only then converted to UTC, so a weekly 17:00 practice stays at 17:00 on both sides of a DST change, and it
ends its duration later *on the wall clock*, as calendar apps compute it from DTSTART and DTEND.

One occurrence of a DAILY or WEEKLY series is looked for from a start moved forward by whole periods (the series'
grid stays the same), so checking an occurrence two years out costs what checking the second one does. Expanding many
series is CPU work: callers run it with :func:`in_worker`, off the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from anyio import CapacityLimiter, to_thread

from operational.calendar import recurrence
from operational.calendar.recurrence import FOREVER

# Rule work runs in one worker thread at a time: a second CPU-bound thread would only compete with the event loop for
# the interpreter (and make /healthz wait), not finish sooner.
WORKER_THREADS = 1

T = TypeVar("T")


@dataclass(frozen=True)
class Occurrence:
    series_id: uuid.UUID
    occurrence_start: datetime  # original start in UTC: the occurrence's identity (RECURRENCE-ID)
    starts_at: datetime
    ends_at: datetime
    title: str
    location: str | None
    notes: str | None
    cancelled: bool = False
    modified: bool = False


@dataclass(frozen=True)
class Schedule:
    """What expanding a series needs, copied from it, so it can be handed to a worker thread."""

    series_id: uuid.UUID
    time_zone: str
    starts_local: datetime
    duration_minutes: int
    rrule: str | None
    title: str
    location: str | None = None
    notes: str | None = None
    # the last original start, when known (saved series): bounds lookups without counting from the first
    last_start_local: datetime | None = None

    @classmethod
    def of(cls, series) -> Schedule:
        last = None
        if series.last_ends_at is not None and series.last_ends_at < FOREVER:
            last_end = recurrence.to_local(series.last_ends_at, series.time_zone)
            last = last_end - timedelta(minutes=series.duration_minutes)
        return cls(
            series.id,
            series.time_zone,
            series.starts_local,
            series.duration_minutes,
            series.rrule,
            series.title,
            series.location,
            series.notes,
            last,
        )

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Change:
    """One occurrence changed or cancelled (an exception row, copied)."""

    occurrence_start: datetime
    cancelled: bool
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title: str | None = None
    location: str | None = None
    notes: str | None = None

    @classmethod
    def of(cls, row) -> Change:
        return cls(row.occurrence_start, row.cancelled, row.starts_at, row.ends_at, row.title, row.location, row.notes)


_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def in_worker(function: Callable[..., T], *args, **kwargs) -> T:
    """Run CPU-bound rule work in a worker thread, off the event loop."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(WORKER_THREADS)
    return await to_thread.run_sync(functools.partial(function, *args, **kwargs), limiter=limiter)


def _anchor_before(schedule: Schedule, target: datetime) -> datetime:
    """A start of the series' period grid at least one whole period before ``target`` (DAILY and WEEKLY), or the
    first start: expanding from it gives the same occurrences from ``target`` on as expanding from the first start."""
    parts = recurrence.rule_parts(schedule.rrule or "")
    period_days = {"DAILY": 1, "WEEKLY": 7}.get(parts.get("FREQ", ""))
    if period_days is None or target <= schedule.starts_local:
        return schedule.starts_local
    period_days *= int(parts.get("INTERVAL", "1"))
    periods = (target - schedule.starts_local).days // period_days - 1
    return schedule.starts_local + timedelta(days=max(0, periods) * period_days)


def local_starts(schedule: Schedule, local_from: datetime, local_to: datetime) -> list[datetime]:
    """Original local starts of the series in [local_from, local_to]."""
    first = schedule.starts_local
    if not schedule.rrule:
        return [first] if local_from <= first <= local_to else []
    cap = min(local_to, recurrence.series_limit(first))
    counted = "COUNT" in recurrence.rule_parts(schedule.rrule)
    if counted and schedule.last_start_local is None:  # not saved yet: COUNT is counted from the first start
        starts = recurrence.walk(schedule.rrule, schedule.time_zone, first, cap=cap)
    else:
        if schedule.last_start_local is not None:
            cap = min(cap, schedule.last_start_local)
        anchor = _anchor_before(schedule, local_from)
        starts = recurrence.walk(schedule.rrule, schedule.time_zone, anchor, cap=cap, drop_count=True)
    return [start for start in starts if start >= local_from]


def span(schedule: Schedule) -> tuple[datetime, datetime]:
    """The UTC interval the rule's own occurrences fall in (first start to last end)."""
    first = recurrence.to_utc(schedule.starts_local, schedule.time_zone)
    last = schedule.starts_local
    if schedule.rrule:
        everything = FOREVER.replace(tzinfo=None)
        starts = local_starts(replace(schedule, last_start_local=None), schedule.starts_local, everything)
        last = starts[-1] if starts else schedule.starts_local
    return first, ends_at(last, schedule.duration, schedule.time_zone)


def occurs_at(schedule: Schedule, occurrence_start: datetime) -> bool:
    """True when ``occurrence_start`` (an instant) is an original start of the series."""
    local = recurrence.to_local(occurrence_start, schedule.time_zone)
    if recurrence.to_utc(local, schedule.time_zone) != occurrence_start:
        return False  # not a wall-clock time this zone shows (an instant inside a repeated hour's second pass)
    if not schedule.rrule:
        return local == schedule.starts_local
    if local < schedule.starts_local or local > recurrence.series_limit(schedule.starts_local):
        return False
    if schedule.last_start_local is not None and local > schedule.last_start_local:
        return False
    return local in local_starts(schedule, local, local)


def ends_at(local_start: datetime, duration: timedelta, zone_name: str) -> datetime:
    """When an occurrence starting at ``local_start`` ends: its duration on the zone's wall clock, as calendar apps
    compute it from DTSTART and DTEND (a 22:00 event of 8 hours ends at 06:00 even on the night the clocks change)."""
    return recurrence.to_utc(local_start + duration, zone_name)


def original(schedule: Schedule, local: datetime) -> Occurrence:
    start = recurrence.to_utc(local, schedule.time_zone)
    return Occurrence(
        schedule.series_id,
        start,
        start,
        ends_at(local, schedule.duration, schedule.time_zone),
        schedule.title,
        schedule.location,
        schedule.notes,
    )


def apply_change(occurrence: Occurrence, change: Change) -> Occurrence:
    if change.cancelled:
        return replace(occurrence, cancelled=True)
    return replace(
        occurrence,
        starts_at=change.starts_at or occurrence.starts_at,
        ends_at=change.ends_at or occurrence.ends_at,
        title=change.title or occurrence.title,
        location=change.location if change.location is not None else occurrence.location,
        notes=change.notes if change.notes is not None else occurrence.notes,
        modified=True,
    )


def expand(
    schedule: Schedule, changes: Iterable[Change], window_from: datetime, window_to: datetime
) -> list[Occurrence]:
    """The occurrences of the series starting in [window_from, window_to), changes applied, in order of start."""
    by_start = {change.occurrence_start: change for change in changes}
    # a day of margin on both sides: local midnight and UTC midnight differ by up to 14 hours
    local_from = recurrence.to_local(window_from, schedule.time_zone) - timedelta(days=1)
    local_to = recurrence.to_local(window_to, schedule.time_zone) + timedelta(days=1)
    result, seen = [], set()
    for local in local_starts(schedule, local_from, local_to):
        occurrence = original(schedule, local)
        seen.add(occurrence.occurrence_start)
        if (change := by_start.get(occurrence.occurrence_start)) is not None:
            occurrence = apply_change(occurrence, change)
        if window_from <= occurrence.starts_at < window_to:
            result.append(occurrence)
    for start, change in by_start.items():  # moved here from further away
        if start in seen or change.cancelled or change.starts_at is None:
            continue
        if window_from <= change.starts_at < window_to and occurs_at(schedule, start):
            moved = original(schedule, recurrence.to_local(start, schedule.time_zone))
            result.append(apply_change(moved, change))
    result.sort(key=lambda o: (o.starts_at, o.occurrence_start))
    return result


def expand_all(schedule: Schedule, changes: Iterable[Change]) -> list[Occurrence]:
    """Every occurrence of the series (at most :data:`MAX_OCCURRENCES`)."""
    first = recurrence.to_utc(schedule.starts_local, schedule.time_zone)
    last = recurrence.to_utc(recurrence.series_limit(schedule.starts_local), schedule.time_zone) + timedelta(days=2)
    changes = list(changes)
    moved = [c.starts_at for c in changes if c.starts_at is not None]
    return expand(schedule, changes, min([first, *moved]), max([last, *(m + timedelta(seconds=1) for m in moved)]))
