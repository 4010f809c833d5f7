"""The dates of logs at the edges of the club's calendar: "today" just after midnight while UTC is still on the day
before, on DST nights, and on 29 February, when "a year back" has no 29 February."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from operational.training.dates import a_year_before
from tests.operational.training.helpers import BASE


def _log(gateway, person, day: date | None):
    body = {"rpe": 5, "duration_minutes": 40, "allow_duplicate": True}
    if day is not None:
        body["session_date"] = day.isoformat()
    return gateway.post(f"{BASE}/rpe-logs", json=body, headers=person.headers)


@pytest.mark.parametrize(
    ("instant", "zone", "today"),
    [
        ("2026-03-28T23:30:00+00:00", "Europe/Stockholm", date(2026, 3, 29)),  # 00:30 on the spring DST night
        ("2026-10-25T00:30:00+00:00", "Europe/Stockholm", date(2026, 10, 25)),  # 02:30 CEST, before the fall back
        ("2026-10-25T01:30:00+00:00", "Europe/Stockholm", date(2026, 10, 25)),  # 02:30 CET, after it
        ("2028-02-28T11:30:00+00:00", "Pacific/Auckland", date(2028, 2, 29)),  # 00:30 on 29 February
        ("2028-03-01T07:59:00+00:00", "America/Los_Angeles", date(2028, 2, 29)),  # 23:59 on 29 February
    ],
)
def test_a_log_without_a_date_is_for_the_clubs_today_and_tomorrow_is_refused(gateway, club, as_, instant, zone,
                                                                             today):  # fmt: skip
    with time_machine.travel(datetime.fromisoformat(instant), tick=True):
        player = as_(club["player"], time_zone=zone)
        logged = _log(gateway, player, None)
        tomorrow = _log(gateway, player, date.fromordinal(today.toordinal() + 1))
    assert logged.status_code == 201, logged.text
    assert logged.json()["session_date"] == today.isoformat()
    assert tomorrow.status_code == 422
    assert f"(today is {today.isoformat()})" in tomorrow.json()["error"]["message"]


def test_a_year_back_from_29_february_is_28_february():
    assert a_year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert a_year_before(date(2029, 3, 1)) == date(2028, 3, 1)


def test_on_29_february_logs_go_back_to_28_february_of_the_year_before(gateway, club, as_):
    with time_machine.travel(datetime.fromisoformat("2028-02-29T12:00:00+00:00"), tick=True):
        player = as_(club["player"], time_zone="Europe/Stockholm")
        earliest = _log(gateway, player, date(2027, 2, 28))
        too_early = _log(gateway, player, date(2027, 2, 27))
    assert earliest.status_code == 201, earliest.text
    assert too_early.status_code == 422
    assert "logs go back to 2027-02-28" in too_early.json()["error"]["message"]
