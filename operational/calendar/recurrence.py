"""Recurrence rules (RFC 5545 RRULEs), bounded when saved, and the zones they repeat in.

A rule is user input and expanding it is CPU work on a shared server, so :func:`normalize_rule` bounds every rule:

- it repeats DAILY, WEEKLY, MONTHLY or YEARLY, at the first start's time of day (SECONDLY, MINUTELY, HOURLY and
  BYHOUR/BYMINUTE/BYSECOND are refused);
- DAILY and WEEKLY rules filter by BYDAY (no ordinals) and BYMONTH only, so they match at least once a year; day of
  month and set positions are for MONTHLY and YEARLY rules;
- a series has at most :data:`MAX_OCCURRENCES` occurrences and ends within :data:`SERIES_YEARS` years of its first
  start. An explicit COUNT or UNTIL beyond that is **refused** (the client asked for something that would not be kept,
  and a silent cut would surprise them); a rule **without an end is stored ending at the limit**, so the end is in the
  API's answer and in every feed, and calendar apps compute the same occurrences as the API;
- UNTIL is stored in UTC (``…Z``), as RFC 5545 §3.3.10 requires beside a DTSTART with a TZID; feeds export it as is;
- the first start must be an occurrence of the rule: RFC 5545 counts DTSTART as the first instance even when the rule
  does not match it, and calendar apps differ on that, so such a series would not look the same everywhere.

:func:`walk` expands on a copy of the dates moved by whole 400-year Gregorian cycles (which repeat weekdays and leap
years exactly) so that the end of the window falls in the last cycle before year 9999, where dateutil stops: a rule
that never matches again (``FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30``) walks at most one cycle of empty months, not eight
thousand years.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

FOREVER = datetime(9999, 12, 31, tzinfo=UTC)
MAX_OCCURRENCES = 1000
SERIES_YEARS = 2
MAX_INTERVAL = 99
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_KNOWN_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
_TIME_OF_DAY_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_WEEKDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL_UTC, _UNTIL_FLOATING, _UNTIL_DATE = "%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%d"
GREGORIAN_CYCLE_YEARS = 400
LAST_YEAR = 9999


class RecurrenceError(ValueError):
    """The rule or zone is not usable; the message says why, for the client."""


# --- zones and times ------------------------------------------------------------------------------------------------


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


def human(local: datetime) -> str:
    """``Tue 16 Mar 2027 17:00``: how messages name a local time."""
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def series_limit(starts_local: datetime) -> datetime:
    """The latest local start a series may have: :data:`SERIES_YEARS` years after its first start."""
    try:
        return starts_local.replace(year=starts_local.year + SERIES_YEARS)
    except ValueError:  # 29 February
        return starts_local.replace(year=starts_local.year + SERIES_YEARS, day=28)


# --- rules ----------------------------------------------------------------------------------------------------------


def rule_parts(rule_text: str) -> dict[str, str]:
    body = rule_text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts = {}
    for item in filter(None, body.split(";")):
        key, _, value = item.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def join_rule(parts: dict[str, str]) -> str:
    ordered = ["FREQ", *sorted(k for k in parts if k != "FREQ")]
    return ";".join(f"{k}={parts[k]}" for k in ordered if k in parts)


def _number(parts: dict[str, str], name: str, highest: int, hint: str) -> None:
    if name in parts and not (parts[name].isdigit() and 1 <= int(parts[name]) <= highest):
        raise RecurrenceError(f"{name} must be a whole number from 1 to {highest}{hint}.")


def _check_parts(parts: dict[str, str]) -> None:
    freq = parts.get("FREQ")
    if not freq:
        raise RecurrenceError("The recurrence rule needs FREQ (e.g. 'FREQ=WEEKLY;BYDAY=TU,TH').")
    if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise RecurrenceError(
            f"Events repeat at most daily: FREQ={freq} is not accepted; use DAILY, WEEKLY, MONTHLY or YEARLY."
        )
    if freq not in FREQUENCIES:
        raise RecurrenceError(f"FREQ must be one of {', '.join(FREQUENCIES)}, not {freq!r}.")
    if "DTSTART" in parts:
        raise RecurrenceError("Give the first start as starts_at, not inside the rule.")
    for name in _TIME_OF_DAY_PARTS:
        if name in parts:
            raise RecurrenceError(f"The time of day comes from starts_at: remove {name} from the rule.")
    unknown = sorted(set(parts) - _KNOWN_PARTS)
    if unknown:
        raise RecurrenceError(
            f"{', '.join(unknown)} is not supported; use BYDAY, BYMONTH, BYMONTHDAY or BYSETPOS "
            "with INTERVAL and COUNT or UNTIL."
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("Give COUNT or UNTIL, not both.")
    _number(parts, "COUNT", MAX_OCCURRENCES, f" (a series has at most {MAX_OCCURRENCES} occurrences)")
    _number(parts, "INTERVAL", MAX_INTERVAL, "")
    if freq in ("DAILY", "WEEKLY"):
        for name in ("BYMONTHDAY", "BYSETPOS"):
            if name in parts:
                raise RecurrenceError(f"{name} is for monthly or yearly rules: use FREQ=MONTHLY with {name}.")
        days = [d for d in parts.get("BYDAY", "").split(",") if d]
        if any(not _WEEKDAY.match(day) for day in days):
            raise RecurrenceError(
                "In a daily or weekly rule BYDAY lists weekdays (MO,TU,…); 'the first Monday' (1MO) needs FREQ=MONTHLY."
            )


def _until_instant(value: str, zone_name: str) -> datetime:
    """UNTIL as an instant: UTC (``…Z``), a floating local time, or a date (its end, locally)."""
    for pattern, local_end in ((_UNTIL_UTC, None), (_UNTIL_FLOATING, False), (_UNTIL_DATE, True)):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        if local_end is None:
            return parsed.replace(tzinfo=UTC)
        if local_end:
            parsed = parsed.replace(hour=23, minute=59, second=59)
        return to_utc(parsed, zone_name)
    raise RecurrenceError("UNTIL must be a UTC time such as 20270330T150000Z (or a date such as 20270330).")


def _shifted(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years) if years else moment


def walk(
    rule_text: str, zone_name: str, anchor: datetime, *, cap: datetime | None, drop_count: bool = False
) -> Iterator[datetime]:
    """Local starts of the rule from ``anchor`` on, in order, up to ``cap`` (and the rule's own COUNT or UNTIL)."""
    parts = rule_parts(rule_text)
    until = to_local(_until_instant(parts.pop("UNTIL"), zone_name), zone_name) if "UNTIL" in parts else None
    if drop_count:
        parts.pop("COUNT", None)
    end = min((m for m in (until, cap) if m is not None), default=None)
    reference_year = (end or anchor).year
    cycles = max(0, (LAST_YEAR - reference_year) // GREGORIAN_CYCLE_YEARS)
    shift = cycles * GREGORIAN_CYCLE_YEARS
    try:
        rule = rrulestr(join_rule(parts), dtstart=_shifted(anchor, shift))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"The recurrence rule is not valid RFC 5545: {exc}.") from exc
    if end is not None and "COUNT" not in parts:
        rule = rule.replace(until=_shifted(end, shift))
    for start in rule:
        start = _shifted(start, -shift)
        if end is not None and start > end:
            return
        yield start


def normalize_rule(rule_text: str, starts_local: datetime, zone_name: str) -> str:
    """The rule as stored: checked, bounded (see the module's docstring) and with UNTIL in UTC."""
    parts = rule_parts(rule_text)
    _check_parts(parts)
    limit = series_limit(starts_local)
    ends_by = f"{human(limit)} ({zone_name})"
    if "UNTIL" in parts:
        until = _until_instant(parts["UNTIL"], zone_name)
        if to_local(until, zone_name) > limit:
            raise RecurrenceError(
                f"A series can run at most {SERIES_YEARS} years, until {ends_by}: end it by then "
                "and schedule what follows as a new series."
            )
        parts["UNTIL"] = until.strftime(_UNTIL_UTC)
    elif "COUNT" not in parts:
        parts["UNTIL"] = to_utc(limit, zone_name).strftime(_UNTIL_UTC)  # open-ended: ends at the limit
    text = join_rule(parts)
    starts = list(walk(text, zone_name, starts_local, cap=limit))
    if not starts or starts[0] != starts_local:
        raise RecurrenceError(
            f"starts_at ({human(starts_local)}) is not an occurrence of the rule: start the series on its first "
            "occurrence (e.g. on a Tuesday for BYDAY=TU)."
        )
    if "COUNT" in parts and len(starts) < int(parts["COUNT"]):
        raise RecurrenceError(
            f"COUNT={parts['COUNT']} runs past {ends_by}: a series can run at most {SERIES_YEARS} years; "
            "lower COUNT and schedule what follows as a new series."
        )
    if len(starts) > MAX_OCCURRENCES:
        raise RecurrenceError(f"A series has at most {MAX_OCCURRENCES} occurrences; this rule has {len(starts)}.")
    return text


def split_rules(rule_text: str, starts_local: datetime, split_local: datetime, zone_name: str) -> tuple[str, str]:
    """Rules of the part before ``split_local`` and of the part from it on ("this and following"), UNTIL in UTC."""
    parts = rule_parts(rule_text)
    before, after = dict(parts), dict(parts)
    if "COUNT" in parts:
        earlier = sum(1 for start in walk(rule_text, zone_name, starts_local, cap=split_local) if start < split_local)
        before["COUNT"] = str(max(earlier, 1))
        after["COUNT"] = str(max(int(parts["COUNT"]) - earlier, 1))
    else:
        before["UNTIL"] = to_utc(split_local - timedelta(seconds=1), zone_name).strftime(_UNTIL_UTC)
    return join_rule(before), join_rule(after)
