"""The Team load board and Player detail pages, rendered by AppTest against the real stats API, with and without
data."""

from __future__ import annotations

import json
from datetime import date, timedelta

from operational.stats.schemas import ACWR_CAVEAT
from tests.dashboards.test_team_load import open_dashboard, texts
from tests.operational.stats.statistics_marts import StatisticsWarehouse

TODAY = date.today()


def open_page(monkeypatch, stats_url, token, page: str):
    app = open_dashboard(monkeypatch, stats_url, token)
    return app.switch_page(f"views/{page}.py").run()


def seed_team(warehouse, club) -> StatisticsWarehouse:
    marts = StatisticsWarehouse(warehouse)
    org, team, player, teammate = club.org_id, club.team_id, club["player"].id, club["teammate"].id
    for days_ago in range(3, 0, -1):
        marts.add_metrics_day(org, player, team, TODAY - timedelta(days=days_ago), acwr=1.2 + days_ago / 10,
                              band="high" if days_ago == 1 else "elevated")  # fmt: skip
    marts.add_metrics_day(org, teammate, team, TODAY - timedelta(days=1), acwr=None, band=None,
                          reason="under_28_days_of_history", monotony=None)  # fmt: skip
    marts.add_wellness(org, player, team, TODAY - timedelta(days=1), z=-1.8)
    marts.add_test_result(org, player, team, TODAY - timedelta(days=5), 4.05, 75.0)
    marts.set_availability(org, player, "limited", ["no_contact"], TODAY - timedelta(days=2))
    marts.publish()
    return marts


def test_load_board_colours_bands_and_says_every_flag_in_words(monkeypatch, stats_url, warehouse, stats_club):
    seed_team(warehouse, stats_club)
    app = open_page(monkeypatch, stats_url, stats_club["coach"].token, "load_board")

    assert not app.exception, app.exception
    assert texts(app.title) == ["Team load board"]
    assert texts(app.info) == [ACWR_CAVEAT]
    table = app.dataframe[0]
    rows = {r["Player"]: r for r in table.value.to_dict("records")}
    player, teammate = (
        rows[f"Player {str(stats_club['player'].id)[:8]}"],
        rows[f"Player {str(stats_club['teammate'].id)[:8]}"],
    )
    assert (player["ACWR"], player["Band"], player["Availability"]) == (1.3, "high", "Limited")
    assert "1.30× the usual weekly load (high)" in player["Notes"]
    assert "more than 1 SD worse than the player's usual" in player["Notes"]
    assert "Limited (no contact)." in player["Notes"]
    assert teammate["Band"] == "—"
    assert "fewer than 28 days since the first logged session" in teammate["Notes"]
    # the "high" band cell is coloured, the teammate's empty band is not
    assert table.proto.arrow_data.styler.styles.count("background-color") == 1
    assert "background-color: #f8d7da" in table.proto.arrow_data.styler.styles


def test_load_board_without_data_says_so(monkeypatch, stats_url, warehouse, stats_club):
    StatisticsWarehouse(warehouse).publish()
    app = open_page(monkeypatch, stats_url, stats_club["coach"].token, "load_board")

    assert not app.exception, app.exception
    assert texts(app.info) == [
        ACWR_CAVEAT,
        "No training load for this team yet: the board fills in once players log their sessions.",
    ]
    assert not app.dataframe


def test_player_detail_charts_load_acwr_over_bands_wellness_and_tests(monkeypatch, stats_url, warehouse, stats_club):
    seed_team(warehouse, stats_club)
    app = open_page(monkeypatch, stats_url, stats_club["player"].token, "player_detail")

    assert not app.exception, app.exception
    assert texts(app.title) == ["Player detail"]
    assert ACWR_CAVEAT in app.caption[0].value
    load, acwr, wellness = (json.loads(c.proto.spec) for c in app.get("plotly_chart"))
    assert [t["name"] for t in load["data"]] == [
        "Daily load (AU)", "Acute: 7-day mean (AU/day)", "Chronic: 28-day mean (AU/day)"
    ]  # fmt: skip
    assert len(acwr["layout"]["shapes"]) == 4  # the four bands behind the ratio
    assert acwr["data"][0]["name"] == "Uncoupled rolling"
    assert wellness["data"][0]["name"] == "Wellness z (negative = worse)"
    assert app.dataframe[0].value.to_dict("records")[0]["Team percentile"] == 75.0


def test_player_detail_without_data_explains_each_empty_section(monkeypatch, stats_url, warehouse, stats_club):
    StatisticsWarehouse(warehouse).publish()
    app = open_page(monkeypatch, stats_url, stats_club["player"].token, "player_detail")

    assert not app.exception, app.exception
    assert not app.get("plotly_chart")
    assert texts(app.info) == [
        "No sessions logged in this period: load and ACWR appear once sessions are logged.",
        "No wellness questionnaires in this period.",
        "No test results recorded.",
    ]
