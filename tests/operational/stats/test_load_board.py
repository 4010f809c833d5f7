"""Team load board, load metrics, wellness and test results as coaches and players read them, and who may not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from operational.stats.schemas import ACWR_CAVEAT
from operational.stats.service import today
from tests.operational.stats.snapshots import make_stats_club
from tests.operational.stats.statistics_marts import StatisticsWarehouse

YESTERDAY = today() - timedelta(days=1)


def board_url(team_id) -> str:
    return f"/api/v1/stats/teams/{team_id}/load-board"


def player_url(person, what: str) -> str:
    return f"/api/v1/stats/players/{person.id}/{what}"


@pytest.fixture
def league(stats_settings, warehouse, stats_club):
    """Two clubs. In ours: player (elevated EWMA, flagged wellness, limited), teammate (too little data for a
    ratio), other_player in the other team. The rival club has the same people."""
    marts = StatisticsWarehouse(warehouse)
    rival = make_stats_club(stats_settings)
    for club in (stats_club, rival):
        org, team = club.org_id, club.team_id
        marts.add_metrics_day(org, club["player"].id, team, YESTERDAY - timedelta(days=1), acwr=1.0)
        marts.add_metrics_day(org, club["player"].id, team, YESTERDAY, acwr=1.42, band="elevated")
        marts.add_metrics_day(org, club["teammate"].id, team, YESTERDAY, acwr=None, band=None,
                              reason="under_21_of_28_days_with_data", monotony=None)  # fmt: skip
        marts.add_metrics_day(org, club["other_player"].id, club.other_team_id, YESTERDAY)
        marts.add_wellness(org, club["player"].id, team, YESTERDAY, z=-1.6)
        marts.add_wellness(org, club["teammate"].id, team, YESTERDAY, z=None, instrument="mclean")
        marts.add_test_result(org, club["player"].id, team, YESTERDAY, 4.1, 50.0)
        marts.set_availability(org, club["player"].id, "limited", ["no_contact"], YESTERDAY)
    marts.publish()
    return stats_club, rival


def test_a_coach_sees_every_players_latest_load_wellness_and_availability(stats, league):
    club, _ = league
    coach = club["coach"]

    response = stats.get(board_url(club.team_id), headers=coach.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["acwr_caveat"] == ACWR_CAVEAT
    players = {p["player_id"]: p for p in body["players"]}
    assert set(players) == {str(club["player"].id), str(club["teammate"].id)}
    player = players[str(club["player"].id)]
    assert player["metric_date"] == str(YESTERDAY)
    assert [(a["variant"], a["ratio"], a["band"]) for a in player["acwr"]] == [
        ("coupled_rolling", 1.42, "elevated"), ("uncoupled_rolling", 1.42, "elevated"), ("ewma", 1.42, "elevated")
    ]  # fmt: skip
    assert player["training_monotony"] == 1.5
    assert player["latest_wellness"]["below_baseline_flag"] is True
    assert player["availability"] == {"status": "limited", "restrictions": ["no_contact"], "expected_until": None}
    teammate = players[str(club["teammate"].id)]
    assert teammate["acwr_withheld_reason"] == "under_21_of_28_days_with_data"
    assert all(a["ratio"] is None and a["band"] is None for a in teammate["acwr"])
    assert teammate["latest_wellness"]["z_score_withheld_reason"] == "under_7_baseline_observations"
    assert teammate["availability"] is None


def test_the_board_is_only_for_the_teams_staff_and_the_clubs_admins(stats, league):
    club, rival = league
    assert stats.get(board_url(club.team_id), headers=club["admin"].headers).status_code == 200
    assert stats.get(board_url(club.team_id), headers=club["player"].headers).status_code == 403
    for outsider in (club["other_coach"], rival["coach"], rival["admin"]):
        response = stats.get(board_url(club.team_id), headers=outsider.headers)
        assert response.status_code == 404, outsider.email
        assert response.json()["error"]["field"] == "team_id"


def test_player_history_endpoints_show_the_player_their_own_figures(stats, league):
    club, _ = league
    player = club["player"]
    metrics = stats.get(player_url(player, "load-metrics"), headers=player.headers).json()
    assert [d["metric_date"] for d in metrics["days"]] == [str(YESTERDAY - timedelta(days=1)), str(YESTERDAY)]
    assert metrics["acwr_caveat"] == ACWR_CAVEAT
    wellness = stats.get(player_url(player, "wellness"), headers=player.headers).json()
    assert [(d["wellness_date"], d["wellness_z_score"], d["below_baseline_flag"]) for d in wellness["days"]] == [
        (str(YESTERDAY), -1.6, True)
    ]
    tests = stats.get(player_url(player, "test-results"), headers=player.headers).json()
    assert [(r["test_name"], r["result_value"], r["team_percentile_rank"]) for r in tests["results"]] == [
        ("30 m sprint", 4.1, 50.0)
    ]


@pytest.mark.parametrize("what", ["load-metrics", "wellness", "test-results"])
def test_player_histories_are_scoped_like_daily_load(stats, league, what):
    club, rival = league
    player = club["player"]
    for reader in (club["coach"], club["trainer"], club["admin"]):
        assert stats.get(player_url(player, what), headers=reader.headers).status_code == 200, reader.email
    for outsider in (club["teammate"], club["other_coach"], rival["coach"], rival["admin"], rival["player"]):
        response = stats.get(player_url(player, what), headers=outsider.headers)
        assert response.status_code == 404, (what, outsider.email)
        assert response.json()["error"]["code"] == "not_found"


def test_a_period_ending_before_it_starts_is_refused_with_the_field(stats, league):
    club, _ = league
    player = club["player"]
    response = stats.get(
        player_url(player, "load-metrics"), params={"from": "2026-03-10", "to": "2026-03-01"}, headers=player.headers
    )
    assert response.status_code == 422
    assert response.json()["error"] | {"message": ""} == {"code": "invalid_period", "message": "", "field": "from"}
