"""Dates in the club's time zone: what "today" is, which day a moment falls on, and which days a log may carry.

The club's zone is the ``tz`` claim of the caller's token; a zone this machine does not know counts as UTC, as
``Principal.today()`` does.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from operational.kit.auth import Principal
from operational.kit.errors import InvalidValue


def club_zone(principal: Principal) -> str:
    """The club's IANA time zone name (safe to hand to Postgres)."""
    try:
        ZoneInfo(principal.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return principal.time_zone


def local_date(principal: Principal, moment: datetime) -> date:
    """The club's calendar day of ``moment``."""
    return moment.astimezone(ZoneInfo(club_zone(principal))).date()


def local_time(principal: Principal, moment: datetime) -> str:
    """``moment`` as the club's wall-clock time, e.g. '2027-01-05 18:00'."""
    return moment.astimezone(ZoneInfo(club_zone(principal))).strftime("%Y-%m-%d %H:%M")


def a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def check_log_date(principal: Principal, day: date, *, field: str, what: str = "date") -> date:
    """``day`` for a log (RPE, wellness, test result): not in the club's future, not more than a year back.

    Raises InvalidValue naming ``field``.
    """
    today = principal.today()
    if day > today:
        raise InvalidValue(
            f"The {what} {day.isoformat()} is in the future in your club's time zone (today is {today.isoformat()}); "
            "log it on or after the day.",
            field=field,
        )
    earliest = a_year_before(today)
    if day < earliest:
        raise InvalidValue(
            f"The {what} {day.isoformat()} is more than a year ago; logs go back to {earliest.isoformat()}.",
            field=field,
        )
    return day
