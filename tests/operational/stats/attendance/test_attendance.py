"""Team attendance per week and player, with names, from fct_weekly_attendance."""

from __future__ import annotations

from datetime import timedelta

from tests.operational.stats.snapshots import club_today
from tests.operational.stats.statistics_marts import StatisticsWarehouse, monday_of


def test_weeks_by_players_with_rates_and_names(stats, warehouse, stats_club):
    club = stats_club
    marts = StatisticsWarehouse(warehouse)
    this_week = monday_of(club_today())
    last_week = this_week - timedelta(days=7)
    player, teammate = club["player"].id, club["teammate"].id
    marts.add_attendance_week(club.org_id, player, club.team_id, last_week, recorded=3, attended=2)
    marts.add_attendance_week(club.org_id, player, club.team_id, this_week, recorded=2, attended=1, excused=1)
    marts.add_attendance_week(club.org_id, teammate, club.team_id, this_week, recorded=2, attended=0, excused=2)
    marts.add_attendance_week(club.org_id, club["other_player"].id, club.other_team_id, this_week, recorded=1,
                              attended=1)  # fmt: skip
    marts.add_attendance_week(club.org_id, player, club.team_id, last_week - timedelta(days=70), recorded=1,
                              attended=0)  # before the period  # fmt: skip
    marts.publish()

    response = stats.get(f"/api/v1/stats/teams/{club.team_id}/attendance", headers=club["coach"].headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["team_name"] == "U16"
    assert [(p["player_name"], p["events_recorded"], p["events_attended"], p["attendance_rate"])
            for p in body["players"]] == [
        ("Alva Persson", 2, 0, None),  # every absence excused: no rate rather than 0 %
        ("Elias Nilsson", 5, 3, 0.75),  # excused absences do not count against the player
    ]  # fmt: skip
    elias = body["players"][1]
    assert [(w["week_start"], w["attendance_rate"]) for w in elias["weeks"]] == [
        (str(last_week), round(2 / 3, 3)), (str(this_week), 1.0)
    ]  # fmt: skip
    team_weeks = [
        (w["week_start"], w["events_recorded"], w["events_excused"], w["attendance_rate"]) for w in body["weeks"]
    ]
    assert team_weeks == [
        (str(last_week), 3, 0, round(2 / 3, 3)), (str(this_week), 4, 3, 1.0)
    ]  # fmt: skip


def test_the_period_chooses_the_weeks(stats, warehouse, stats_club):
    club = stats_club
    marts = StatisticsWarehouse(warehouse)
    monday = monday_of(club_today()) - timedelta(days=21)
    for week in range(3):
        marts.add_attendance_week(club.org_id, club["player"].id, club.team_id, monday + timedelta(days=7 * week),
                                  recorded=1, attended=1)  # fmt: skip
    marts.publish()
    # from a Wednesday: that week is included; to the next Monday: that week too
    params = {"from": str(monday + timedelta(days=2)), "to": str(monday + timedelta(days=7))}

    body = stats.get(
        f"/api/v1/stats/teams/{club.team_id}/attendance", params=params, headers=club["admin"].headers
    ).json()

    assert [w["week_start"] for w in body["weeks"]] == [str(monday), str(monday + timedelta(days=7))]
    unknown = stats.get(
        f"/api/v1/stats/teams/{club.team_id}/attendance", params={"week": "1"}, headers=club["admin"].headers
    )
    assert unknown.status_code == 422
