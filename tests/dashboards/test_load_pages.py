"""The Team load board and Player detail pages, rendered by AppTest against the real stats API and gateway, with
and without data."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from operational.stats.schemas import ACWR_CAVEAT
from tests.dashboards.helpers import add_roster, ids_shown, open_dashboard, raw_empty_cells, table_rows, texts
from tests.operational.stats.statistics_marts import LOAD_METRICS, StatisticsWarehouse

TODAY = date.today()


def seed_team(warehouse, club) -> StatisticsWarehouse:
    """Player: three days, the ratio rising to 2.67 (high), worse wellness, limited availability. Teammate: too
    little history for a ratio, and entries on only 10 of the last 28 days."""
    marts = StatisticsWarehouse(warehouse)
    org, team, player, teammate = club.org_id, club.team_id, club["player"].id, club["teammate"].id
    add_roster(warehouse, club)
    for days_ago, ratio in ((3, 1.4), (2, 1.9), (1, 2.67)):
        marts.add_metrics_day(org, player, team, TODAY - timedelta(days=days_ago), acwr=ratio, band="high")
    marts.add_metrics_day(org, teammate, team, TODAY - timedelta(days=1), acwr=None, band=None,
                          reason="under_28_days_of_history", monotony=None)  # fmt: skip
    marts.conn.execute(f"UPDATE {LOAD_METRICS} SET days_with_data_last_28 = 10 WHERE player_id = ?", [str(teammate)])
    marts.add_wellness(org, player, team, TODAY - timedelta(days=1), z=-1.8)
    marts.add_test_result(org, player, team, TODAY - timedelta(days=5), 4.05, 75.0)
    marts.set_availability(org, player, "limited", ["no_contact"], TODAY - timedelta(days=2))
    marts.publish()
    return marts


@pytest.fixture
def board(monkeypatch, stats_url, gateway_url, warehouse, club):
    seed_team(warehouse, club)
    return open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="load_board")


def test_load_board_names_players_colours_bands_and_says_every_flag_in_words(board, club):
    assert not board.exception, board.exception
    assert texts(board.title) == ["Team load board"]
    assert texts(board.info) == [ACWR_CAVEAT]
    table = board.dataframe[0]
    rows = {row["Player"]: row for row in table_rows(table)}
    assert list(rows) == ["Player", "Teammate"]
    player, teammate = rows["Player"], rows["Teammate"]
    assert (player["ACWR"], player["Band"], player["Availability"]) == ("2.67", "high", "Limited")
    assert player["Flags"] == "load high, wellness below usual, limited"
    assert (teammate["ACWR"], teammate["Band"], teammate["Availability"]) == ("—", "—", "—")
    assert teammate["Flags"] == "no ratio yet, thin data"
    assert teammate["Entries (28 d)"] == "36%"
    notes = [m.value for m in board.markdown if m.value.startswith("**")]
    assert notes[0].startswith("**Player**: Load this week is 2.67× the usual weekly load (high).")
    assert "more than 1 SD worse than the player's usual" in notes[0] and "Limited (no contact)." in notes[0]
    assert "fewer than 28 days since the first logged session" in notes[1]
    assert "these figures rest on thin data" in notes[1]
    # the "high" band cell is coloured, the teammate's empty band is not
    assert table.proto.arrow_data.styler.styles.count("background-color") == 1
    assert ids_shown(board, [p.id for p in club.people.values()] + [club.team_id]) == []


def test_load_board_has_one_rule_for_empty_cells_and_no_repeated_day_column(board):
    table = board.dataframe[0]
    assert raw_empty_cells(board) == []
    assert "—" in [cell for row in table_rows(table) for cell in row.values()]
    assert "Day" not in table.value.columns
    assert any(c.value.startswith(f"Figures for {TODAY - timedelta(days=1)}.") for c in board.caption)


@pytest.mark.parametrize(
    ("variant", "acute", "chronic"),
    [
        ("uncoupled_rolling", ("Acute (AU/week)", "2,000"), ("Chronic (AU/week)", "1,700")),
        ("coupled_rolling", ("Acute (AU/week)", "2,000"), ("Chronic (AU/week)", "1,800")),
        ("ewma", ("Acute (AU/day)", "280.0"), ("Chronic (AU/day)", "260.0")),
    ],
)
def test_load_board_shows_the_selected_variants_own_acute_and_chronic_load(
    monkeypatch, stats_url, gateway_url, warehouse, club, variant, acute, chronic
):
    marts = seed_team(warehouse, club)
    marts.conn.execute(
        f"UPDATE {LOAD_METRICS} SET chronic_load_uncoupled_weekly_au = 1700, chronic_load_coupled_weekly_au = 1800, "
        "ewma_acute_load_au = 280, ewma_chronic_load_au = 260 WHERE player_id = ?",
        [str(club["player"].id)],
    )
    marts.publish()
    board = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="load_board")
    board.selectbox[1].set_value(variant).run()

    player = table_rows(board.dataframe[0])[0]
    assert (player[acute[0]], player[chronic[0]]) == (acute[1], chronic[1])


def test_load_board_offers_one_default_variant_with_its_source(board):
    variants = board.selectbox[1]
    assert variants.label == "ACWR variant"
    assert variants.options[0] == "Uncoupled rolling average (default)"
    assert [o for o in variants.options if "(default)" in o] == [variants.options[0]]
    source = next(c.value for c in board.caption if "Source:" in c.value)
    assert "Windt & Gabbett" in source and "Lolli et al." in source and "2019" in source


def test_load_board_without_data_says_so(monkeypatch, stats_url, gateway_url, warehouse, club):
    StatisticsWarehouse(warehouse).publish()
    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="load_board")

    assert not app.exception, app.exception
    assert texts(app.info) == [
        ACWR_CAVEAT,
        "No training load for this team yet: the board fills in once players log their sessions.",
    ]
    assert not app.dataframe


def test_a_week_without_load_is_said_instead_of_a_low_ratio(monkeypatch, stats_url, gateway_url, warehouse, club):
    """The last entry was 8 days ago: the week's ratio of 0.0 describes missing entries, not a light week."""
    marts = StatisticsWarehouse(warehouse)
    add_roster(warehouse, club)
    player = club["player"].id
    marts.add_metrics_day(club.org_id, player, club.team_id, TODAY - timedelta(days=8))
    marts.add_metrics_day(club.org_id, player, club.team_id, TODAY, acwr=0.0, band="low", acute=0, load=0,
                          has_data=False, days_with_data_last_7=0)  # fmt: skip
    marts.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="load_board")

    row = table_rows(app.dataframe[0])[0]
    assert (row["ACWR"], row["Band"], row["Flags"]) == ("—", "—", "no entries for 8 days")
    assert "low" not in row["Flags"]


def _charts(app) -> dict[str, dict]:
    figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    return {figure["data"][0]["name"]: figure for figure in figures}


def test_player_detail_scales_the_acwr_axis_to_the_data(monkeypatch, stats_url, gateway_url, warehouse, club):
    seed_team(warehouse, club)
    app = open_dashboard(monkeypatch, stats_url, club["player"].token, gateway_url=gateway_url)

    assert not app.exception, app.exception
    assert texts(app.title) == ["My training"]
    assert texts(app.subheader)[0] == "Player"
    assert ACWR_CAVEAT in app.caption[0].value
    charts = _charts(app)
    assert set(charts) == {"Daily load (AU)", "Uncoupled rolling average", "Wellness z (negative = worse)"}
    load, ratio = charts["Daily load (AU)"], charts["Uncoupled rolling average"]
    assert [t["name"] for t in load["data"]] == [
        "Daily load (AU)", "Acute: 7-day mean (AU/day)", "Chronic: 28-day mean (AU/day)"
    ]  # fmt: skip
    top = ratio["layout"]["yaxis"]["range"][1]
    assert top >= 2.67 * 1.15, "the highest ratio is on the chart, with room above it"
    assert len(ratio["layout"]["shapes"]) == 4
    assert max(shape["y1"] for shape in ratio["layout"]["shapes"]) == top
    assert table_rows(app.dataframe[0])[0]["Team percentile"] == "75"
    assert raw_empty_cells(app) == []
    for figure in charts.values():  # per-day figures: the axis reads "27 Nov", one tick a day, never "12:00"
        assert figure["layout"]["xaxis"]["tickformat"] == "%d %b"
        assert figure["layout"]["xaxis"]["dtick"] == 86_400_000


def test_player_detail_without_data_explains_each_empty_section(monkeypatch, stats_url, warehouse, stats_club):
    StatisticsWarehouse(warehouse).publish()
    app = open_dashboard(monkeypatch, stats_url, stats_club["player"].token)

    assert not app.exception
    assert not app.get("plotly_chart")
    assert texts(app.info) == [
        "No sessions logged in this period: load and ACWR appear once sessions are logged.",
        "No wellness questionnaires in this period.",
        "No test results recorded.",
    ]


def test_staff_pick_a_team_then_a_player_by_name(monkeypatch, stats_url, gateway_url, warehouse, club):
    seed_team(warehouse, club)
    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="player_detail")

    assert not app.exception, app.exception
    assert texts(app.title) == ["Player detail"]
    assert app.selectbox(key="team").options == ["U16"]
    assert app.selectbox[1].options == ["Player", "Teammate"]
    app.selectbox[1].set_value(str(club["teammate"].id)).run()
    assert not app.exception
    assert "No ratio in this period: fewer than 28 days of history." in texts(app.info)
