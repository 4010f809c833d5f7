"""Planning insights from the planning marts, with names: planned vs actual per week, the projected form curve with
key games, intended vs perceived effort per coach, and goal progress scoped to who may see it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.operational.stats.snapshots import club_today

BASE = "/api/v1/stats"


def _monday(day):
    return day - timedelta(days=day.weekday())


def _ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_season_plan_weeks_players_and_key_games(stats, warehouse, stats_club):
    club = stats_club
    this_week = _monday(club_today())
    last_week = this_week - timedelta(days=7)
    for week, actual, ratio in ((last_week, 1800.0, 0.9), (this_week, None, None)):
        warehouse.insert(
            "marts.fct_team_weekly_planned_vs_actual", team_week_id=str(uuid.uuid4()), org_id=club.org_id,
            team_id=club.team_id, plan_id="p", week_start=week, focus="Speed", planned_sessions=5,
            planned_load_au=2000, scheduled_sessions=5, low_intensity_pct=40, moderate_intensity_pct=40,
            high_intensity_pct=20,
            players_on_record=0 if actual is None else 2, mean_actual_load_au=actual,
            actual_to_planned_load_ratio=ratio, ratio_trend_4_weeks=ratio,
            scheduled_games=1, games_logged=None if actual is None else 2,
        )  # fmt: skip
    for name, load in (("player", 1600), ("teammate", 2000)):
        warehouse.insert(
            "marts.fct_player_weekly_planned_vs_actual", player_week_id=f"{name}|w", org_id=club.org_id,
            player_id=club[name].id, team_id=club.team_id, plan_id="p", week_start=last_week, planned_load_au=2000,
            planned_sessions=5, scheduled_sessions=5, scheduled_load_au=2000, actual_load_au=load, logged_sessions=4,
            actual_to_planned_load_ratio=load / 2000, sessions_missed=1, sessions_added=0, days_on_record=7,
            is_complete_week=True, games_scheduled=1, games_logged=1,
        )  # fmt: skip
    game_at = datetime.combine(this_week + timedelta(days=5), datetime.min.time(), tzinfo=UTC)
    warehouse.insert("marts.dim_key_games", series_id=str(uuid.uuid4()), org_id=club.org_id, team_id=club.team_id,
                     title="Cup final", starts_at=game_at, priority="A")  # fmt: skip
    warehouse.publish()

    body = _ok(stats.get(f"{BASE}/teams/{club.team_id}/season-plan", headers=club["coach"].headers))

    assert [(w["week_start"], w["actual_to_planned_load_ratio"]) for w in body["weeks"]] == [
        (str(last_week), 0.9), (str(this_week), None)
    ]  # fmt: skip
    assert [p["player_name"] for p in body["players"]] == ["Alva Persson", "Elias Nilsson"]
    assert [(w["scheduled_games"], w["games_logged"]) for w in body["weeks"]] == [(1, 2), (1, None)]
    assert [(w["games_scheduled"], w["games_logged"]) for p in body["players"] for w in p["weeks"]] == [(1, 1)] * 2
    assert [(g["title"], g["priority"]) for g in body["key_games"]] == [("Cup final", "A")]
    other = _ok(stats.get(f"{BASE}/teams/{club.other_team_id}/season-plan", headers=club["admin"].headers))
    assert other["weeks"] == [] and other["players"] == []


def test_the_team_form_curve_is_the_mean_of_its_players_and_runs_ahead(stats, warehouse, stats_club):
    club = stats_club
    today = club_today()
    for name, form in (("player", -10.0), ("teammate", 20.0)):
        for offset, projected in ((0, False), (7, True)):
            day = today + timedelta(days=offset)
            warehouse.insert(
                "marts.fct_player_fitness_fatigue_form", player_day_id=f"{name}|{day}", org_id=club.org_id,
                player_id=club[name].id, team_id=club.team_id, metric_date=day, is_projected=projected, load_au=300.0,
                fitness_au=100.0, fatigue_au=100.0 - form - offset, form_au=form + offset,
            )  # fmt: skip
    warehouse.publish()

    body = _ok(stats.get(f"{BASE}/teams/{club.team_id}/form", headers=club["trainer"].headers))

    assert [(d["metric_date"], d["is_projected"], d["form_au"]) for d in body["days"]] == [
        (str(today), False, 5.0), (str(today + timedelta(days=7)), True, 12.0)
    ]  # fmt: skip
    mine = _ok(stats.get(f"{BASE}/players/{club['player'].id}/form", headers=club["parent"].headers))
    assert [d["form_au"] for d in mine["days"]] == [-10.0, -3.0] and mine["player_name"] == "Elias Nilsson"


def test_effort_per_coach_by_name_with_the_reference(stats, warehouse, stats_club):
    club = stats_club
    for kind, d in (("all", -0.355), ("easy", -1.633), ("hard", None)):
        warehouse.insert(
            "marts.fct_intended_vs_perceived_rpe", comparison_id=f"{club.team_id}|c|{kind}", org_id=club.org_id,
            team_id=club.team_id, coach_id=club["coach"].id, session_type=kind, pairs=4, mean_intended_rpe=4.25,
            mean_perceived_rpe=5.0, mean_difference_rpe=-0.75, cohens_d=d, hedges_g=d,
        )  # fmt: skip
    warehouse.publish()

    body = _ok(stats.get(f"{BASE}/teams/{club.team_id}/effort", headers=club["coach"].headers))

    assert [(i["coach_name"], i["session_type"], i["cohens_d"]) for i in body["items"]] == [
        ("Johan Ek", "easy", -1.633), ("Johan Ek", "hard", None), ("Johan Ek", "all", -0.355)
    ]  # fmt: skip
    assert body["reference_smd"] == -0.44


def test_goal_progress_is_seen_by_the_player_and_their_staff_only(stats, warehouse, stats_club):
    club = stats_club
    today = club_today()
    goals = [
        ("Squat 100 kg", club["player"].id, club.team_id, 95.0),
        ("Sprint 4.3 s", club["teammate"].id, club.team_id, 97.7),
        ("Attendance 90 %", None, club.team_id, 83.3),
        ("U18 attendance", None, club.other_team_id, 50.0),
    ]
    for title, player_id, team_id, progress in goals:
        warehouse.insert(
            "marts.fct_goal_progress", goal_id=str(uuid.uuid4()), org_id=club.org_id, team_id=team_id,
            player_id=player_id, title=title, metric="test_result", comparator="at_least", target_value=100.0,
            starts_on=today - timedelta(days=30), due_on=today + timedelta(days=30), current_value=progress,
            is_met=False, progress_pct=progress,
        )  # fmt: skip
    warehouse.publish()

    own = _ok(stats.get(f"{BASE}/players/{club['player'].id}/goals", headers=club["player"].headers))
    assert sorted(g["title"] for g in own["items"]) == ["Attendance 90 %", "Squat 100 kg"]
    team = _ok(stats.get(f"{BASE}/teams/{club.team_id}/goals", headers=club["coach"].headers))
    assert sorted((g["title"], g["player_name"]) for g in team["items"]) == [
        ("Attendance 90 %", None), ("Sprint 4.3 s", "Alva Persson"), ("Squat 100 kg", "Elias Nilsson")
    ]  # fmt: skip
    refused = stats.get(f"{BASE}/players/{club['player'].id}/goals", headers=club["teammate"].headers)
    assert refused.status_code == 403
