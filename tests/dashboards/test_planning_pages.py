"""The Season plan and Goals pages, rendered by AppTest against the real stats API and gateway: planned vs actual
per week, the form curve with key games, goals with progress; names, never ids; empty states that say what to do."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from tests.dashboards.helpers import add_roster, ids_shown, open_dashboard, raw_empty_cells, table_rows, texts

TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def _ids(club) -> list:
    return [p.id for p in club.people.values()] + [club.team_id, club.other_team_id]


def _seed_plan(warehouse, club) -> None:
    add_roster(warehouse, club)
    for week, actual in ((-2, 1900.0), (-1, 2300.0), (0, None), (1, None)):
        warehouse.insert(
            "marts.fct_team_weekly_planned_vs_actual", team_week_id=str(uuid.uuid4()), org_id=club.org_id,
            team_id=club.team_id, plan_id="p", week_start=MONDAY + timedelta(weeks=week), focus="Speed",
            planned_sessions=5, planned_load_au=2000, scheduled_sessions=5, low_intensity_pct=40,
            moderate_intensity_pct=40, high_intensity_pct=20, players_on_record=0 if actual is None else 2,
            mean_actual_load_au=actual,
            actual_to_planned_load_ratio=None if actual is None else actual / 2000,
            scheduled_games=1, games_logged=None if actual is None else 2,
        )  # fmt: skip
    for offset in range(-14, 14):
        day = TODAY + timedelta(days=offset)
        warehouse.insert(
            "marts.fct_player_fitness_fatigue_form", player_day_id=f"p|{day}", org_id=club.org_id,
            player_id=club["player"].id, team_id=club.team_id, metric_date=day, is_projected=offset > 0,
            load_au=250.0, fitness_au=300.0, fatigue_au=320.0 - 3 * offset, form_au=-20.0 + 3 * offset,
        )  # fmt: skip
    game_at = datetime.combine(TODAY + timedelta(days=10), datetime.min.time(), tzinfo=UTC)
    warehouse.insert("marts.dim_key_games", series_id=str(uuid.uuid4()), org_id=club.org_id, team_id=club.team_id,
                     title="Cup final", starts_at=game_at, priority="A")  # fmt: skip
    warehouse.publish()


def test_season_plan_shows_weeks_and_the_form_curve_with_key_games(
    monkeypatch, stats_url, gateway_url, warehouse, club
):
    _seed_plan(warehouse, club)

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="season_plan")

    assert not app.exception, app.exception
    assert not app.error, texts(app.error)
    assert texts(app.subheader) == ["Planned vs actual load per week", "Form: fitness − fatigue, continued on the plan"]
    rows = table_rows(app.dataframe[0])
    assert [(r["Planned (AU)"], r["Actual ÷ planned"]) for r in rows] == [
        ("2000", "0.95"), ("2000", "1.15"), ("2000", "—"), ("2000", "—")
    ]  # fmt: skip
    charts = app.get("plotly_chart")
    assert len(charts) == 2 and "Cup final (A)" in charts[1].proto.spec
    assert ids_shown(app, _ids(club)) == []
    assert raw_empty_cells(app) == []


def test_season_plan_without_weeks_says_what_to_do(monkeypatch, stats_url, gateway_url, warehouse, club):
    add_roster(warehouse, club)
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="season_plan")

    assert not app.exception and not app.error
    assert "a coach plans the season's weeks" in texts(app.info)[0]


def _seed_goals(warehouse, club) -> None:
    add_roster(warehouse, club)
    goals = [
        ("Squat 100 kg", club["player"].id, "test_result", "1RM back squat", 95.0, False),
        ("Attend 90 %", None, "attendance_rate", None, 92.0, True),
        ("Teammate sprint", club["teammate"].id, "test_result", "30 m sprint", None, None),
    ]
    for title, player_id, metric, test_name, now, met in goals:
        warehouse.insert(
            "marts.fct_goal_progress", goal_id=str(uuid.uuid4()), org_id=club.org_id, team_id=club.team_id,
            player_id=player_id, title=title, metric=metric, test_name=test_name, comparator="at_least",
            target_value=100.0 if metric == "test_result" else 90.0, starts_on=TODAY - timedelta(days=30),
            due_on=TODAY + timedelta(days=30), current_value=now, is_met=met,
            progress_pct=None if now is None else 100.0 if met else now,
        )  # fmt: skip
    warehouse.publish()


def test_goals_for_the_coach_and_for_the_player(monkeypatch, stats_url, gateway_url, warehouse, club):
    _seed_goals(warehouse, club)

    coach = open_dashboard(monkeypatch, stats_url, club["coach"].token, gateway_url=gateway_url, page="goals")

    assert not coach.exception and not coach.error, texts(coach.error)
    rows = table_rows(coach.dataframe[0])
    assert {(r["Goal"], r["Whose"], r["Target"], r["Status"]) for r in rows} == {
        ("Squat 100 kg", "Player", "≥ 100", "Not yet"),
        ("Attend 90 %", "Team", "≥ 90 %", "Met"),
        ("Teammate sprint", "Teammate", "≥ 100", "Not yet measured"),
    }
    assert ids_shown(coach, _ids(club)) == [] and raw_empty_cells(coach) == []

    player = open_dashboard(monkeypatch, stats_url, club["player"].token, gateway_url=gateway_url, page="goals")

    assert not player.exception and not player.error, texts(player.error)
    assert sorted(r["Goal"] for r in table_rows(player.dataframe[0])) == ["Attend 90 %", "Squat 100 kg"]
    assert [m.value for m in player.get("metric")] == ["1 of 2"]
