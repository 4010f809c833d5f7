"""Team load board, load metrics, wellness and test results as coaches and players read them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from operational.stats.schemas import ACWR_CAVEAT, ACWR_VARIANT_CITATIONS
from tests.operational.stats.snapshots import club_today as today
from tests.operational.stats.snapshots import make_stats_club
from tests.operational.stats.statistics_marts import StatisticsWarehouse

YESTERDAY = today() - timedelta(days=1)


def board_url(team_id) -> str:
    return f"/api/v1/stats/teams/{team_id}/load-board"


def player_url(person, what: str) -> str:
    return f"/api/v1/stats/players/{person.id}/{what}"


@pytest.fixture
def league(stats_settings, warehouse, stats_club):
    """Two clubs. In ours: player (elevated ratio, an implausible day, flagged wellness, limited), teammate (too
    little data for a ratio), other_player in the other team. The rival club has the same people."""
    marts = StatisticsWarehouse(warehouse)
    rival = make_stats_club(stats_settings, warehouse)
    for club in (stats_club, rival):
        org, team = club.org_id, club.team_id
        marts.add_metrics_day(org, club["player"].id, team, YESTERDAY - timedelta(days=2), acwr=1.0,
                              check_entry_reason="over_load_limit", load=1600)  # fmt: skip
        marts.add_metrics_day(org, club["player"].id, team, YESTERDAY - timedelta(days=1), acwr=1.0)
        marts.add_metrics_day(org, club["player"].id, team, YESTERDAY, acwr=1.42, band="elevated", acute=2130,
                              days_with_data_last_7=5, days_with_data_last_28=21)  # fmt: skip
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
    assert (body["team_name"], body["today"]) == ("U16", today().isoformat())
    assert body["acwr_caveat"] == ACWR_CAVEAT
    assert body["acwr_default_variant"] == "uncoupled_rolling"
    assert "Windt & Gabbett" in body["acwr_default_variant_citation"]
    assert body["acwr_variant_citations"] == ACWR_VARIANT_CITATIONS
    # by name: Alva Persson (teammate) before Elias Nilsson (player), whatever their ids
    assert [p["player_name"] for p in body["players"]] == ["Alva Persson", "Elias Nilsson"]
    teammate, player = body["players"]
    assert player["player_id"] == str(club["player"].id)
    assert player["metric_date"] == str(YESTERDAY)
    assert (player["acwr"], player["acwr_band"], player["acwr_variant"]) == (1.42, "elevated", "uncoupled_rolling")
    assert set(player["acwr_variants"]) == {"coupled_rolling", "uncoupled_rolling", "ewma"}
    for name, variant in player["acwr_variants"].items():
        # the acute and chronic load shown for a variant divide to the ratio shown for it
        assert round(variant["acute"] / variant["chronic"], 2) == round(variant["ratio"], 2), name
        assert variant["band"] == "elevated"
    assert player["acwr_variants"]["ewma"]["unit"] == "AU per day"
    assert (player["completeness"], player["completeness_last_7_days"]) == (0.75, round(5 / 7, 3))
    assert (player["last_entry_date"], player["no_entries_days"]) == (str(YESTERDAY), 1)
    assert player["check_entry"] == (
        f"1,600 AU on {YESTERDAY - timedelta(days=2)} is over 1,500 AU: check the entries of that day."
    )
    assert player["training_monotony"] == 1.5
    assert player["latest_wellness"]["below_baseline_flag"] is True
    assert player["availability"] == {"status": "limited", "restrictions": ["no_contact"], "expected_until": None}
    assert teammate["acwr_withheld_reason"] == "under_21_of_28_days_with_data"
    assert (teammate["acwr"], teammate["acwr_band"], teammate["check_entry"]) == (None, None, None)
    assert all(v["ratio"] is None and v["band"] is None for v in teammate["acwr_variants"].values())
    assert teammate["latest_wellness"]["z_score_withheld_reason"] == "under_7_baseline_observations"
    assert teammate["availability"] is None


def test_a_week_without_entries_shows_no_ratio_and_says_why(stats, warehouse, stats_club):
    """The marts end on the club's last reported day: a player who stopped logging 8 days ago still has a ratio
    there, which the board, counting to today, withholds rather than show "0.0, low" or a stale band."""
    marts = StatisticsWarehouse(warehouse)
    quiet = stats_club["player"]
    last_entry = today() - timedelta(days=8)
    marts.add_metrics_day(stats_club.org_id, quiet.id, stats_club.team_id, last_entry, acwr=1.1)
    marts.add_metrics_day(stats_club.org_id, quiet.id, stats_club.team_id, last_entry + timedelta(days=1),
                          acwr=0.9, band="sweet spot", has_data=False)  # fmt: skip
    marts.publish()

    (player,) = stats.get(board_url(stats_club.team_id), headers=stats_club["coach"].headers).json()["players"]

    assert (player["no_entries_days"], player["last_entry_date"]) == (8, str(last_entry))
    assert (player["acwr"], player["acwr_band"]) == (None, None)
    assert player["acwr_withheld_reason"] == "no_entries_in_last_7_days"
    assert all(v["ratio"] is None and v["band"] is None for v in player["acwr_variants"].values())


def test_player_history_endpoints_show_the_player_their_own_figures_with_names(stats, league):
    club, _ = league
    player = club["player"]
    metrics = stats.get(player_url(player, "load-metrics"), headers=player.headers).json()
    assert metrics["player_name"] == "Elias Nilsson"
    assert [d["metric_date"] for d in metrics["days"]] == [
        str(YESTERDAY - timedelta(days=2)), str(YESTERDAY - timedelta(days=1)), str(YESTERDAY)
    ]  # fmt: skip
    assert metrics["days"][0]["check_entry"].startswith("1,600 AU on")
    assert metrics["days"][-1]["acwr"] == 1.42
    assert metrics["acwr_caveat"] == ACWR_CAVEAT
    wellness = stats.get(player_url(player, "wellness"), headers=player.headers).json()
    assert [(d["wellness_date"], d["wellness_z_score"], d["below_baseline_flag"]) for d in wellness["days"]] == [
        (str(YESTERDAY), -1.6, True)
    ]
    assert wellness["days"][0]["baseline_completeness"] == 0.5
    tests = stats.get(player_url(player, "test-results"), headers=player.headers).json()
    assert [
        (r["test_name"], r["result_value"], r["team_percentile_rank"], r["team_name"]) for r in tests["results"]
    ] == [("30 m sprint", 4.1, 50.0, "U16")]


def test_a_period_ending_before_it_starts_is_refused_with_the_field(stats, league):
    club, _ = league
    player = club["player"]
    response = stats.get(
        player_url(player, "load-metrics"), params={"from": "2026-03-10", "to": "2026-03-01"}, headers=player.headers
    )
    assert response.status_code == 422
    assert response.json()["error"] | {"message": ""} == {"code": "invalid_period", "message": "", "field": "from"}


def test_the_clubs_chosen_acwr_variant_is_the_one_read_first(stats, warehouse, league):
    club, rival = league
    warehouse.insert("marts.dim_clubs", org_id=club.org_id, club_name="Northside HC", default_acwr_variant="ewma")
    warehouse.publish()

    board = stats.get(board_url(club.team_id), headers=club["coach"].headers).json()
    assert (board["acwr_default_variant"], board["acwr_default_variant_citation"]) == (
        "ewma", ACWR_VARIANT_CITATIONS["ewma"]
    )  # fmt: skip
    player = next(p for p in board["players"] if p["player_name"] == "Elias Nilsson")
    assert (player["acwr_variant"], player["acwr"]) == ("ewma", player["acwr_variants"]["ewma"]["ratio"])
    metrics = stats.get(player_url(club["player"], "load-metrics"), headers=club["player"].headers).json()
    assert metrics["acwr_default_variant"] == "ewma" and {d["acwr_variant"] for d in metrics["days"]} == {"ewma"}
    # another club keeps its own default
    assert stats.get(board_url(rival.team_id), headers=rival["coach"].headers).json()["acwr_default_variant"] == (
        "uncoupled_rolling"
    )
