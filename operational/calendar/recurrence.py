"""Recurring events: RFC 5545 RRULEs expanded in the series' own time zone.

A series stores its first start as a *local* wall-clock time plus an IANA zone. Each occurrence is generated in local
time and only then converted to UTC, so a weekly 17:00 practice stays at 17:00 on both sides of a DST change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr

FOREVER = datetime(9999, 12, 31, tzinfo=UTC)


class RecurrenceError(ValueError):
    """The rule or zone is not usable; the message says why, for the client."""


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


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RecurrenceError(f"Unknown time zone {name!r}; use an IANA name such as 'Europe/Stockholm'.") from exc


def to_local(moment: datetime, zone_name: str) -> datetime:
    """An aware instant → naive wall-clock time in the zone."""
    return moment.astimezone(zone(zone_name)).replace(tzinfo=None)


def to_utc(local: datetime, zone_name: str) -> datetime:
    return local.replace(tzinfo=zone(zone_name)).astimezone(UTC)


def rule_parts(rule_text: str) -> dict[str, str]:
    body = rule_text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts = {}
    for item in filter(None, body.split(";")):
        key, _, value = item.partition("=")
        parts[key.strip().upper()] = value.strip()
    return parts


def join_rule(parts: dict[str, str]) -> str:
    ordered = ["FREQ", *sorted(k for k in parts if k != "FREQ")]
    return ";".join(f"{k}={parts[k]}" for k in ordered if k in parts)


def normalize_rule(rule_text: str, starts_local: datetime, zone_name: str) -> str:
    """Validate an RRULE and store it with UNTIL in local time (the form expansion in local time needs)."""
    parts = rule_parts(rule_text)
    if "FREQ" not in parts:
        raise RecurrenceError("The recurrence rule needs FREQ (e.g. 'FREQ=WEEKLY;BYDAY=TU,TH').")
    if "DTSTART" in parts:
        raise RecurrenceError("Give the first start as starts_at, not inside the rule.")
    until = parts.get("UNTIL")
    if until and until.endswith("Z"):
        instant = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        parts["UNTIL"] = to_local(instant, zone_name).strftime("%Y%m%dT%H%M%S")
    elif until and len(until) == 8:
        parts["UNTIL"] = until + "T235959"
    text = join_rule(parts)
    try:
        rrulestr(text, dtstart=starts_local)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"The recurrence rule is not valid RFC 5545: {exc}.") from exc
    return text


def _rule(rule_text: str, starts_local: datetime) -> RRule:
    return rrulestr(rule_text, dtstart=starts_local)


def local_starts(rule_text: str | None, starts_local: datetime, until_local: datetime, limit: int) -> list[datetime]:
    """Local starts from the first up to ``until_local``, at most ``limit``."""
    if not rule_text:
        return [starts_local] if starts_local <= until_local else []
    starts = []
    for start in _rule(rule_text, starts_local):
        if start > until_local or len(starts) >= limit:
            break
        starts.append(start)
    return starts


def is_finite(rule_text: str | None) -> bool:
    if not rule_text:
        return True
    parts = rule_parts(rule_text)
    return "COUNT" in parts or "UNTIL" in parts


def span(
    rule_text: str | None, starts_local: datetime, duration_minutes: int, zone_name: str
) -> tuple[datetime, datetime]:
    """The UTC interval all occurrences fall in (open-ended series end at FOREVER)."""
    first = to_utc(starts_local, zone_name)
    if not rule_text:
        return first, first + timedelta(minutes=duration_minutes)
    if not is_finite(rule_text):
        return first, FOREVER
    last_local = starts_local
    for last_local in _rule(rule_text, starts_local):  # noqa: B007 - finite by COUNT or UNTIL
        pass
    return first, to_utc(last_local, zone_name) + timedelta(minutes=duration_minutes)


def expand(series, exceptions, window_from: datetime, window_to: datetime, limit: int) -> list[Occurrence]:
    """The occurrences of ``series`` starting in [window_from, window_to), exceptions applied."""
    zone_name = series.time_zone
    # a day of margin on both sides: local midnight and UTC midnight differ by up to 14 hours
    local_to = to_local(window_to, zone_name) + timedelta(days=1)
    by_start = {e.occurrence_start: e for e in exceptions}
    duration = timedelta(minutes=series.duration_minutes)
    result = []
    for local in local_starts(series.rrule, series.starts_local, local_to, limit * 4 + 1000):
        original = to_utc(local, zone_name)
        occurrence = Occurrence(
            series.id, original, original, original + duration, series.title, series.location, series.notes
        )
        exception = by_start.get(original)
        if exception is not None:
            occurrence = apply_exception(occurrence, exception)
        if window_from <= occurrence.starts_at < window_to:
            result.append(occurrence)
        if len(result) >= limit:
            break
    return result


def apply_exception(occurrence: Occurrence, exception) -> Occurrence:
    if exception.cancelled:
        return replace(occurrence, cancelled=True)
    return replace(
        occurrence,
        starts_at=exception.starts_at or occurrence.starts_at,
        ends_at=exception.ends_at or occurrence.ends_at,
        title=exception.title or occurrence.title,
        location=exception.location if exception.location is not None else occurrence.location,
        notes=exception.notes if exception.notes is not None else occurrence.notes,
        modified=True,
    )


def occurs_at(series, occurrence_start: datetime) -> bool:
    """True when ``occurrence_start`` (UTC) is an original start of the series."""
    local = to_local(occurrence_start, series.time_zone)
    if not series.rrule:
        return local == series.starts_local
    return local in _rule(series.rrule, series.starts_local).between(local, local, inc=True)


def split_rules(rule_text: str, starts_local: datetime, split_local: datetime) -> tuple[str, str]:
    """Rules of the part before ``split_local`` and of the part from it on ("this and following")."""
    parts = rule_parts(rule_text)
    before, after = dict(parts), dict(parts)
    if "COUNT" in parts:
        earlier = sum(1 for _ in _rule(rule_text, starts_local).between(starts_local, split_local, inc=False))
        earlier += 0 if split_local == starts_local else 1  # between() excludes the first start
        before["COUNT"] = str(max(earlier, 1))
        after["COUNT"] = str(max(int(parts["COUNT"]) - earlier, 1))
    else:
        before["UNTIL"] = (split_local - timedelta(seconds=1)).strftime("%Y%m%dT%H%M%S")
    return join_rule(before), join_rule(after)
