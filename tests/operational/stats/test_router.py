"""Daily load as a player or coach reads it: figures, periods, and every way the period can be wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.operational.stats.snapshots import club_today, person_with
from tests.operational.stats.snapshots import club_today as today
from tests.operational.stats.urls import player_url, team_url


@pytest.fixture
def day() -> date:
    """Today as the API sees it, read as the test starts: a module constant would be stale after midnight."""
    return today()


def test_player_sees_their_days_sorted_by_date_with_the_snapshot_time(day, stats, warehouse, stats_club):
    player = stats_club["player"]
    later, earlier = day - timedelta(days=2), day - timedelta(days=9)
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, later, sessions=2, minutes=150, rpe=6)
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, earlier, minutes=45, rpe=4)
    before = datetime.now(UTC)
    warehouse.publish()
    after = datetime.now(UTC)

    response = stats.get(player_url(player), headers=player.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["player_id"], body["player_name"]) == (str(player.id), "Elias Nilsson")
    assert body["days"] == [
        {
            "session_date": earlier.isoformat(),
            "session_count": 1,
            "total_duration_minutes": 45,
            "session_rpe_load_au": 180,
            "check_entry": None,
        },
        {
            "session_date": later.isoformat(),
            "session_count": 2,
            "total_duration_minutes": 150,
            "session_rpe_load_au": 900,
            "check_entry": None,
        },
    ]
    assert before <= datetime.fromisoformat(body["as_of"]) <= after


def test_default_period_is_the_last_28_days_ending_today(day, stats, warehouse, stats_club):
    player = stats_club["player"]
    for days_ago in (0, 27, 28):
        warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, day - timedelta(days=days_ago))
    warehouse.publish()

    body = stats.get(player_url(player), headers=player.headers).json()

    assert (body["from"], body["to"]) == ((day - timedelta(days=27)).isoformat(), day.isoformat())
    assert [d["session_date"] for d in body["days"]] == [
        (day - timedelta(days=27)).isoformat(),
        day.isoformat(),
    ]


def test_from_and_to_are_inclusive(day, stats, warehouse, stats_club):
    player = stats_club["player"]
    days = [day - timedelta(days=n) for n in range(100, 90, -1)]
    for session_day in days:
        warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, session_day)
    warehouse.publish()

    params = {"from": days[2].isoformat(), "to": days[4].isoformat()}
    body = stats.get(player_url(player), params=params, headers=player.headers).json()

    assert [d["session_date"] for d in body["days"]] == [d.isoformat() for d in days[2:5]]
    only_from = stats.get(player_url(player), params={"from": days[8].isoformat()}, headers=player.headers).json()
    assert only_from["to"] == day.isoformat()
    assert [d["session_date"] for d in only_from["days"]] == [d.isoformat() for d in days[8:]]


def test_a_period_without_sessions_is_empty_not_an_error(day, stats, warehouse, stats_club):
    player = stats_club["player"]
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, day - timedelta(days=200))
    warehouse.publish()

    response = stats.get(player_url(player), headers=player.headers)

    assert response.status_code == 200
    assert response.json()["days"] == []
    team = stats.get(team_url(stats_club.team_id), headers=stats_club["coach"].headers)
    assert team.status_code == 200
    assert team.json()["player_days"] == []


@pytest.mark.parametrize(
    ("params", "status", "message_part"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, 422, "must be on or before"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, 422, "at most 366 days"),
        ({"from": "2026-02-30"}, 422, "from"),
        ({"to": "yesterday"}, 422, "to"),
    ],
)
def test_bad_periods_are_refused_with_a_clear_message(stats, warehouse, stats_club, params, status, message_part):
    warehouse.publish()
    player = stats_club["player"]

    response = stats.get(player_url(player), params=params, headers=player.headers)

    assert response.status_code == status
    error = response.json()["error"]
    assert message_part in error["message"]
    assert error["field"] in {"from", "to"}


def test_a_whole_year_is_allowed(stats, warehouse, stats_club):
    warehouse.publish()
    player = stats_club["player"]
    params = {"from": "2025-01-01", "to": "2026-01-01"}  # 366 days, both ends included

    assert stats.get(player_url(player), params=params, headers=player.headers).status_code == 200


def test_team_rows_are_per_player_per_day_and_only_that_teams(day, stats, warehouse, stats_club):
    org, team, other_team = stats_club.org_id, stats_club.team_id, stats_club.other_team_id
    player, teammate, other = stats_club["player"], stats_club["teammate"], stats_club["other_player"]
    yesterday, two_days_ago = day - timedelta(days=1), day - timedelta(days=2)
    warehouse.add_day(org, player.id, team, yesterday, minutes=60, rpe=5)
    warehouse.add_day(org, teammate.id, team, yesterday, minutes=90, rpe=8)
    warehouse.add_day(org, player.id, team, two_days_ago, minutes=30, rpe=3)
    warehouse.add_day(org, other.id, other_team, yesterday)  # another team's session
    warehouse.add_day(org, player.id, None, yesterday, minutes=40, rpe=9)  # a session logged without a team
    warehouse.publish()

    response = stats.get(team_url(team), headers=stats_club["coach"].headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["team_id"], body["team_name"]) == (str(team), "U16")
    rows = [(r["session_date"], r["player_name"], r["session_rpe_load_au"]) for r in body["player_days"]]
    # by date, then by name (Alva Persson before Elias Nilsson)
    assert rows == [
        (two_days_ago.isoformat(), "Elias Nilsson", 90),
        (yesterday.isoformat(), "Alva Persson", 720),
        (yesterday.isoformat(), "Elias Nilsson", 300),
    ]


def test_invalid_ids_are_422_naming_the_field(stats, warehouse, stats_club):
    warehouse.publish()
    response = stats.get("/api/v1/stats/players/not-a-uuid/daily-load", headers=stats_club["admin"].headers)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "player_id"


def test_an_implausible_day_says_to_check_its_entries(day, stats, warehouse, stats_club):
    player = stats_club["player"]
    warehouse.add_day(stats_club.org_id, player.id, stats_club.team_id, day - timedelta(days=1), minutes=600, rpe=8,
                      check_entry_reason="over_3x_recent_high")  # fmt: skip
    warehouse.publish()

    (entry,) = stats.get(player_url(player), headers=player.headers).json()["days"]

    assert entry["check_entry"] == (
        f"4,800 AU on {day - timedelta(days=1)} is over 3 × the player's highest day of the 28 before "
        "(1,200 AU): check the entries of that day."
    )


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Europe/Stockholm", "Pacific/Pago_Pago"])
def test_today_is_the_clubs_today(stats, stats_settings, warehouse, stats_club, zone):
    """The default period ends on the club's today (its time zone, from the token), not on the latest date on
    earth: UTC+14 put a Stockholm club's "today" a day ahead."""
    warehouse.publish()
    person = person_with(stats_settings, stats_club.org_id, {"player"}, set(), time_zone=zone)

    body = stats.get(player_url(person), headers=person.headers).json()

    expected = club_today(zone)
    assert (body["from"], body["to"]) == ((expected - timedelta(days=27)).isoformat(), expected.isoformat())
