"""Recurrence rules are bounded when saved, stored with UNTIL in UTC, and one occurrence is found without walking the
series from its first start."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

import pytest

from operational.calendar import occurrences, recurrence
from operational.calendar.occurrences import Schedule
from operational.calendar.recurrence import RecurrenceError

ZONE = "Europe/Stockholm"
TUESDAY_17 = datetime(2027, 3, 16, 17, 0)  # a Tuesday, in CET; summer time starts on 28 March 2027


def _schedule(rule: str | None, start: datetime = TUESDAY_17, minutes: int = 90) -> Schedule:
    stored = recurrence.normalize_rule(rule, start, ZONE) if rule else None
    draft = Schedule(uuid.uuid4(), ZONE, start, minutes, stored, "Practice")
    first, last_end = occurrences.span(draft)
    return Schedule(**{**draft.__dict__, "last_start_local": recurrence.to_local(last_end - draft.duration, ZONE)})


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=SECONDLY;COUNT=100000", "at most daily"),
        ("FREQ=MINUTELY", "at most daily"),
        ("FREQ=HOURLY;COUNT=5", "at most daily"),
        ("FREQ=DAILY;BYHOUR=6,18", "time of day comes from starts_at"),
        ("FREQ=DAILY;COUNT=1001", "at most 1000"),
        ("FREQ=DAILY;COUNT=800", "runs past"),  # 800 days: beyond two years
        ("FREQ=WEEKLY;UNTIL=20300101T000000Z", "at most 2 years"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270401T000000Z", "COUNT or UNTIL"),
        ("FREQ=WEEKLY;BYDAY=WE", "not an occurrence"),  # starts on a Tuesday
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "not an occurrence"),  # never happens
        ("FREQ=DAILY;BYMONTHDAY=1", "monthly or yearly"),
        ("FREQ=WEEKLY;BYDAY=1TU", "FREQ=MONTHLY"),
        ("FREQ=WEEKLY;BYWEEKNO=12", "not supported"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL must be"),
        ("BYDAY=TU", "needs FREQ"),
    ],
)
def test_rules_that_would_be_unbounded_or_ambiguous_are_refused_quickly(rule, says):
    started = time.perf_counter()
    with pytest.raises(RecurrenceError) as refused:
        recurrence.normalize_rule(rule, TUESDAY_17, ZONE)
    assert says in str(refused.value)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("rule", "stored"),
    [
        # RFC 5545 §3.3.10: beside a DTSTART with a TZID, UNTIL is in UTC
        ("FREQ=WEEKLY;UNTIL=20270330T150000Z", "FREQ=WEEKLY;UNTIL=20270330T150000Z"),
        ("FREQ=WEEKLY;UNTIL=20270330T170000", "FREQ=WEEKLY;UNTIL=20270330T150000Z"),  # floating local → UTC
        ("FREQ=WEEKLY;UNTIL=20270330", "FREQ=WEEKLY;UNTIL=20270330T215959Z"),  # a date: its end, locally
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=4", "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("rrule:freq=weekly", "FREQ=WEEKLY;UNTIL=20290316T160000Z"),  # open-ended: ends two years on
    ],
)
def test_rules_are_stored_with_until_in_utc(rule, stored):
    assert recurrence.normalize_rule(rule, TUESDAY_17, ZONE) == stored


def test_an_open_ended_daily_series_has_two_years_of_occurrences():
    schedule = _schedule("FREQ=DAILY")
    every = occurrences.expand_all(schedule, [])
    assert len(every) == 732  # 16 Mar 2027 to 16 Mar 2029, both included (2028 is a leap year)
    assert recurrence.to_local(every[-1].starts_at, ZONE) == datetime(2029, 3, 16, 17, 0)


def test_one_occurrence_is_found_without_walking_the_series():
    schedule = _schedule("FREQ=DAILY")
    near, far = TUESDAY_17 + timedelta(days=1), datetime(2029, 3, 15, 17, 0)
    timings = {}
    for label, local in (("near", near), ("far", far)):
        started = time.perf_counter()
        for _ in range(50):
            assert occurrences.occurs_at(schedule, recurrence.to_utc(local, ZONE))
        timings[label] = time.perf_counter() - started
    # two years ahead costs about what the next day does (walking 730 days from the start would cost ~100 times more)
    assert timings["far"] < timings["near"] * 5 + 0.02
    ten_years_on = recurrence.to_utc(datetime(2037, 3, 16, 17, 0), ZONE)
    assert not occurrences.occurs_at(schedule, ten_years_on)
    assert not occurrences.occurs_at(schedule, recurrence.to_utc(far + timedelta(hours=1), ZONE))


def test_occurrences_keep_local_time_across_dst_and_a_weekly_grid_with_gaps():
    schedule = _schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6")
    starts = [recurrence.to_local(o.starts_at, ZONE) for o in occurrences.expand_all(schedule, [])]
    assert [s.strftime("%a %d %b %H:%M") for s in starts] == [
        "Tue 16 Mar 17:00",
        "Thu 18 Mar 17:00",
        "Tue 30 Mar 17:00",
        "Thu 01 Apr 17:00",
        "Tue 13 Apr 17:00",
        "Thu 15 Apr 17:00",
    ]
    for start in starts:
        assert occurrences.occurs_at(schedule, recurrence.to_utc(start, ZONE))
    assert not occurrences.occurs_at(schedule, recurrence.to_utc(datetime(2027, 3, 23, 17), ZONE))  # off week


def test_this_and_following_writes_until_in_utc():
    before, after = recurrence.split_rules(
        "FREQ=WEEKLY;UNTIL=20270427T150000Z", TUESDAY_17, datetime(2027, 3, 30, 17), ZONE
    )
    assert before == "FREQ=WEEKLY;UNTIL=20270330T145959Z"
    assert after == "FREQ=WEEKLY;UNTIL=20270427T150000Z"
