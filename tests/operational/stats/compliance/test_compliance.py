"""Who on a team has not logged session RPE or wellness today, or lately: logging compliance."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.operational.stats.snapshots import club_today, person_with
from tests.operational.stats.statistics_marts import StatisticsWarehouse


def test_each_player_on_the_roster_with_last_days_and_the_teams_shares(stats, warehouse, stats_club):
    club = stats_club
    today = club_today()
    marts = StatisticsWarehouse(warehouse)
    player, teammate = club["player"].id, club["teammate"].id
    warehouse.add_day(club.org_id, player, club.team_id, today)
    warehouse.add_day(club.org_id, player, club.other_team_id, today - timedelta(days=3))  # any team counts
    warehouse.add_day(club.org_id, teammate, club.team_id, today - timedelta(days=9))
    marts.add_wellness(club.org_id, teammate, club.team_id, today - timedelta(days=2), z=None)
    marts.add_wellness(club.org_id, teammate, club.team_id, today - timedelta(days=1), z=None)
    warehouse.add_day(club.org_id, club["other_player"].id, club.other_team_id, today)  # another team's roster
    marts.publish()

    response = stats.get(f"/api/v1/stats/teams/{club.team_id}/compliance", headers=club["coach"].headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["today"], body["window_days"], body["window_from"]) == (
        str(today), 7, str(today - timedelta(days=6))
    )  # fmt: skip
    assert body["players_on_roster"] == 2
    alva, elias = body["players"]  # by name
    assert (alva["player_name"], elias["player_name"]) == ("Alva Persson", "Elias Nilsson")
    assert elias | {"player_id": None} == {
        "player_id": None, "player_name": "Elias Nilsson", "last_rpe_date": str(today), "last_wellness_date": None,
        "days_since_rpe": 0, "days_since_wellness": None, "rpe_logged_today": True, "wellness_logged_today": False,
        "rpe_days_in_window": 2, "wellness_days_in_window": 0,
    }  # fmt: skip
    assert (alva["days_since_rpe"], alva["rpe_days_in_window"], alva["rpe_logged_today"]) == (9, 0, False)
    assert (alva["last_wellness_date"], alva["days_since_wellness"], alva["wellness_days_in_window"]) == (
        str(today - timedelta(days=1)), 1, 2
    )  # fmt: skip
    assert (body["share_rpe_logged_today"], body["share_wellness_logged_today"]) == (0.5, 0.0)
    assert (body["share_rpe_logged_in_window"], body["share_wellness_logged_in_window"]) == (0.5, 0.5)

    narrow = stats.get(
        f"/api/v1/stats/teams/{club.team_id}/compliance", params={"days": 1}, headers=club["coach"].headers
    ).json()
    assert [p["rpe_days_in_window"] for p in narrow["players"]] == [0, 1]
    for days in ("0", "29", "many"):
        refused = stats.get(
            f"/api/v1/stats/teams/{club.team_id}/compliance", params={"days": days}, headers=club["coach"].headers
        )
        assert refused.status_code == 422, days
        assert refused.json()["error"]["field"] == "days"


def test_a_team_without_a_roster_has_no_shares_rather_than_zero(stats, stats_settings, warehouse, stats_club):
    """A new team (in the coach's token, not yet in the warehouse) has nobody to count."""
    warehouse.publish()
    new_team = uuid.uuid4()
    coach = person_with(stats_settings, stats_club.org_id, {"coach"}, {new_team})

    body = stats.get(f"/api/v1/stats/teams/{new_team}/compliance", headers=coach.headers).json()

    assert (body["players_on_roster"], body["players"], body["team_name"]) == (0, [], None)
    assert body["share_rpe_logged_today"] is None and body["share_wellness_logged_in_window"] is None


def test_the_teams_weekly_monitoring_compliance_comes_with_it(stats, warehouse, stats_club):
    club = stats_club
    monday = club_today() - timedelta(days=club_today().weekday())
    for weeks_ago, answers, logs, attended in ((1, 10, 4, 5), (0, 3, 2, 0)):
        week = monday - timedelta(weeks=weeks_ago)
        warehouse.insert(
            "marts.fct_monitoring_compliance_weekly", team_week_id=f"{club.org_id}|{club.team_id}|{week}",
            org_id=club.org_id, team_id=club.team_id, week_start=week, players_on_roster=2,
            expected_wellness_answers=14, wellness_answers=answers, wellness_compliance=round(answers / 14, 3),
            sessions_attended=attended, rpe_logs=logs, rpe_compliance=round(logs / attended, 3) if attended else None,
        )  # fmt: skip
    StatisticsWarehouse(warehouse).publish()

    body = stats.get(f"/api/v1/stats/teams/{club.team_id}/compliance", headers=club["coach"].headers).json()

    assert [(w["week_start"], w["wellness_compliance"], w["rpe_compliance"]) for w in body["weeks"]] == [
        (str(monday - timedelta(weeks=1)), 0.714, 0.8),
        (str(monday), 0.214, None),
    ]
