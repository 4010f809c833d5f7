"""Logging compliance's "today" at the edges of the club's calendar: just after midnight when UTC is still on the
day before, on both DST nights, and on 29 February."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine

from tests.operational.stats.snapshots import person_with

EDGES = [
    # (the instant, the club's zone, the club's today then)
    ("2026-03-28T23:30:00+00:00", "Europe/Stockholm", date(2026, 3, 29)),  # 00:30 on the night clocks go forward
    ("2026-03-29T01:30:00+00:00", "Europe/Stockholm", date(2026, 3, 29)),  # 03:30 CEST, just after the jump
    ("2026-10-25T00:30:00+00:00", "Europe/Stockholm", date(2026, 10, 25)),  # 02:30 CEST, the first of two 02:30s
    ("2026-10-25T22:59:00+00:00", "Europe/Stockholm", date(2026, 10, 25)),  # 23:59 CET: the 25-hour day's end
    ("2028-02-28T11:30:00+00:00", "Pacific/Auckland", date(2028, 2, 29)),  # 00:30 on 29 February, UTC the 28th
    ("2028-03-01T07:59:00+00:00", "America/Los_Angeles", date(2028, 2, 29)),  # 23:59 on 29 February, UTC 1 March
]


@pytest.mark.parametrize(("instant", "zone", "today"), EDGES, ids=[f"{e[1]} {e[0]}" for e in EDGES])
def test_today_and_the_window_follow_the_clubs_calendar(stats, stats_settings, warehouse, stats_club, instant, zone,
                                                        today):  # fmt: skip
    club = stats_club
    player, teammate = club["player"].id, club["teammate"].id
    warehouse.add_day(club.org_id, player, club.team_id, today)
    warehouse.add_day(club.org_id, teammate, club.team_id, today - timedelta(days=1))
    warehouse.add_day(club.org_id, teammate, club.team_id, today - timedelta(days=7))  # a day before the window
    warehouse.publish()

    with time_machine.travel(datetime.fromisoformat(instant), tick=True):
        coach = person_with(stats_settings, club.org_id, {"coach"}, {club.team_id}, time_zone=zone)
        response = stats.get(f"/api/v1/stats/teams/{club.team_id}/compliance", headers=coach.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["today"], body["window_from"]) == (str(today), str(today - timedelta(days=6)))
    alva, elias = body["players"]  # by name
    assert (elias["rpe_logged_today"], elias["days_since_rpe"]) == (True, 0)
    assert (alva["rpe_logged_today"], alva["days_since_rpe"], alva["rpe_days_in_window"]) == (False, 1, 1)
    assert body["share_rpe_logged_today"] == 0.5
