"""Injury surveillance and return to play of a team, from the medical marts: figures, intervals, and who sees which
groups."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from operational.stats.surveillance.service import season_of
from tests.operational.stats.medical_marts import MedicalWarehouse
from tests.operational.stats.snapshots import club_today

TODAY = club_today()
SEASON = season_of(TODAY)
ONSET = TODAY - timedelta(days=40)
# Ten players of 100 h each. Thigh muscle (TM): 10, 20, 30 days and one still open; ankle (AJ): 5 days; a
# concussion (HN): 12 days. Team: 6 injuries / 1,000 h × 1,000 = 6.0; mean (10+20+30+5+12) / 5 = 15.4;
# burden 6.0 × 15.4 = 92.4 days per 1,000 h.
THIGH_DAYS, ANKLE_DAYS, HEAD_DAYS = [10, 20, 30, None], [5], [12]


@pytest.fixture
def injured_team(warehouse, stats_club):
    club, marts = stats_club, MedicalWarehouse(warehouse)
    players = [club["player"].id, club["teammate"].id] + [uuid.uuid4() for _ in range(8)]
    for player in players:
        marts.add_exposure(club.org_id, player, club.team_id, ONSET, season=SEASON, hours=100.0, game_hours=20.0)
    problems = [("TM", "Thigh", d) for d in THIGH_DAYS] + [("AJ", "Ankle", ANKLE_DAYS[0]), ("HN", "Head", 12)]
    for player, (group, area, days) in zip(players, problems, strict=False):
        marts.add_problem(club.org_id, player, club.team_id, season=SEASON, onset=ONSET, days=days, group=group,
                          body_area=area)  # fmt: skip
    closed = [d for d in THIGH_DAYS + ANKLE_DAYS + HEAD_DAYS if d is not None]
    marts.add_incidence(club.org_id, club.team_id, season=SEASON, breakdown="all", value="All", problems=6,
                        closed_days=closed, hours=1000.0)  # fmt: skip
    for breakdown, rows in (
        ("osiics_group", [("TM", 4, [10, 20, 30]), ("AJ", 1, [5]), ("HN", 1, [12])]),
        ("body_area", [("Thigh", 4, [10, 20, 30]), ("Ankle", 1, [5]), ("Head", 1, [12])]),
    ):
        for value, count, days in rows:
            marts.add_incidence(club.org_id, club.team_id, season=SEASON, breakdown=breakdown, value=value,
                                problems=count, closed_days=days, hours=1000.0)  # fmt: skip
    warehouse.publish()
    return club


def _surveillance(stats, club, reader):
    response = stats.get(f"/api/v1/stats/teams/{club.team_id}/injury-surveillance", headers=club[reader].headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_coaches_get_team_figures_with_an_interval_and_small_groups_merged(stats, injured_team):
    body = _surveillance(stats, injured_team, "coach")

    assert (body["team_name"], body["season"], body["exposure_hours"], body["game_hours"]) == (
        "U16", SEASON, 1000.0, 200.0
    )  # fmt: skip
    [injuries] = body["kinds"]
    total = injuries["total"]
    assert (total["problems"], total["incidence_per_1000h"], total["mean_severity_days"]) == (6, 6.0, 15.4)
    assert total["burden_days_per_1000h"] == 92.4
    assert total["burden_ci_low"] < 92.4 < total["burden_ci_high"]
    assert (total["severity_0_7_days"], total["severity_8_28_days"], total["severity_over_28_days"]) == (1, 3, 1)
    # the ankle and the concussion are one player each: merged, so no one learns a teammate's diagnosis group
    groups = [(row["group"], row["problems"]) for row in injuries["by_osiics_group"]]
    assert groups == [("TM", 4), ("Other", 2)]
    other = injuries["by_osiics_group"][1]
    # the merged row with the marts' definitions: 2 / 1,000 h → 2.0; mean (5 + 12) / 2 = 8.5; burden 17.0
    assert (other["incidence_per_1000h"], other["mean_severity_days"], other["burden_days_per_1000h"]) == (
        2.0, 8.5, 17.0
    )  # fmt: skip
    # games and practice apart: both began in practice, over 800 h of practice and 200 h of games
    assert (other["practice_incidence_per_1000h"], other["game_incidence_per_1000h"]) == (2.5, 0.0)
    assert "HN" not in str(body) and "Head" not in str(body)


def test_medical_staff_see_every_group(stats, injured_team):
    injuries = _surveillance(stats, injured_team, "medic")["kinds"][0]

    assert [row["group"] for row in injuries["by_osiics_group"]] == ["TM", "AJ", "HN"]
    assert [row["group"] for row in injuries["by_body_area"]] == ["Thigh", "Ankle", "Head"]


def test_return_to_play_kaplan_meier_per_group(stats, injured_team):
    club = injured_team
    url = f"/api/v1/stats/teams/{club.team_id}/return-to-play"

    medic = stats.get(url, headers=club["medic"].headers).json()
    coach = stats.get(url, params={"group_by": "body_area"}, headers=club["coach"].headers).json()

    thigh = medic["groups"][0]
    # back after 10, 20 and 30 days, one still out after 40 (censored): S = 3/4, 2/4, 1/4 → median 20 days
    assert (thigh["group"], thigh["problems"], thigh["returned"], thigh["still_out"]) == ("TM", 4, 3, 1)
    assert thigh["median_days"] == 20
    assert [g["group"] for g in medic["groups"]] == ["TM", "AJ", "HN"]
    # for a coach the two single problems are too few even merged: only the thigh is shown
    assert [g["group"] for g in coach["groups"]] == ["Thigh"]
    bad = stats.get(url, params={"group_by": "diagnosis"}, headers=club["medic"].headers)
    assert bad.status_code == 422


HEALTH_ENDPOINTS = ["availability", "injury-surveillance", "return-to-play"]
# reader, whose team, answer: the team's staff, the club's admins and medical staff (the whole club) read it
HEALTH_MATRIX = [
    ("coach", "team", 200),
    ("trainer", "team", 200),
    ("admin", "other_team", 200),
    ("medic", "team", 200),
    ("medic", "other_team", 200),
    ("player", "team", 403),  # a teammate's health is not a player's to read, not even in aggregate
    ("parent", "team", 403),
    ("coach", "other_team", 403),
    ("medic", "rival_team", 404),
    ("coach", "nobody", 404),
]


def test_who_reads_a_teams_health_statistics(stats, stats_settings, warehouse, injured_team):
    from tests.operational.stats.snapshots import make_stats_club

    club = injured_team
    rival = make_stats_club(stats_settings, warehouse)
    warehouse.publish()
    teams = {"team": club.team_id, "other_team": club.other_team_id, "rival_team": rival.team_id}
    for reader, subject, status in HEALTH_MATRIX:
        team_id = teams.get(subject, uuid.uuid4())
        for what in HEALTH_ENDPOINTS:
            response = stats.get(f"/api/v1/stats/teams/{team_id}/{what}", headers=club[reader].headers)

            assert response.status_code == status, (reader, subject, what, response.text)
            if status != 200:
                error = response.json()["error"]
                assert error["field"] == "team_id" and "/api/" not in error["message"]
