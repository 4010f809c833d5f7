"""Series at the edges of the calendar: a start time the spring DST night skips or the autumn night repeats, and a
yearly series from 29 February (RFC 5545: no occurrence in a year without one)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from operational.calendar import occurrences, recurrence
from operational.calendar.occurrences import Schedule

ZONE = "Europe/Stockholm"


def _starts(rule: str, start: datetime, zone: str = ZONE) -> list[datetime]:
    stored = recurrence.normalize_rule(rule, start, zone)
    draft = Schedule(uuid.uuid4(), zone, start, 60, stored, "Early ice")
    _, last_end = occurrences.span(draft)
    schedule = Schedule(**{**draft.__dict__, "last_start_local": recurrence.to_local(last_end - draft.duration, zone)})
    return [occurrence.starts_at for occurrence in occurrences.expand_all(schedule, [])]


def test_a_daily_0230_series_across_both_dst_nights_keeps_its_wall_clock_time_and_one_start_a_day():
    spring = _starts("FREQ=DAILY;COUNT=3", datetime(2027, 3, 27, 2, 30))  # 28 March 2027 has no 02:30
    assert [s.astimezone(UTC).isoformat() for s in spring] == [
        "2027-03-27T01:30:00+00:00",  # 02:30 CET
        "2027-03-28T01:30:00+00:00",  # the skipped 02:30 read with the offset before the gap (RFC 5545): 03:30 CEST
        "2027-03-29T00:30:00+00:00",  # 02:30 CEST
    ]
    autumn = _starts("FREQ=DAILY;COUNT=3", datetime(2027, 10, 30, 2, 30))  # 31 October 2027 has two 02:30s
    assert [s.astimezone(UTC).isoformat() for s in autumn] == [
        "2027-10-30T00:30:00+00:00",  # 02:30 CEST
        "2027-10-31T00:30:00+00:00",  # the first 02:30 (CEST), once, not twice
        "2027-11-01T01:30:00+00:00",  # 02:30 CET
    ]


def test_a_yearly_series_from_29_february_meets_only_in_leap_years():
    starts = _starts("FREQ=YEARLY", datetime(2028, 2, 29, 18, 0))
    # the series ends within two years of its start (28 February 2030): 29 February 2028 is its one date
    assert [recurrence.to_local(s, ZONE).date().isoformat() for s in starts] == ["2028-02-29"]
    assert recurrence.series_limit(datetime(2028, 2, 29, 18, 0)) == datetime(2030, 2, 28, 18, 0)
