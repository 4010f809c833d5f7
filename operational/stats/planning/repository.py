"""All SQL of the planning insights (the marts under marts/planning, with names)."""

from __future__ import annotations

from datetime import date
from typing import Any

from operational.stats.policies import RowScope
from operational.stats.repository import BY_PLAYER_NAME, PLAYERS, player_names_join, records, scope_filter
from warehouse.port import ServingCursor

TEAM_WEEKS = "fct_team_weekly_planned_vs_actual"
PLAYER_WEEKS = "fct_player_weekly_planned_vs_actual"
FORM = "fct_player_fitness_fatigue_form"
EFFORT = "fct_intended_vs_perceived_rpe"
GOALS = "fct_goal_progress"
KEY_GAMES = "dim_key_games"


def team_weeks(cursor: ServingCursor, scope: RowScope, first: date, last: date) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "weeks")
    cursor.execute(
        f"""
        SELECT week_start, focus, planned_sessions, planned_load_au, scheduled_sessions, scheduled_load_au,
               low_intensity_pct, moderate_intensity_pct, high_intensity_pct, players_on_record, mean_actual_load_au,
               actual_to_planned_load_ratio, ratio_trend_4_weeks, sessions_missed, sessions_added,
               scheduled_games, games_logged
        FROM {TEAM_WEEKS} AS weeks
        WHERE {where} AND weeks.week_start BETWEEN ? AND ?
        ORDER BY weeks.week_start
        """,
        [*params, first, last],
    )
    return records(cursor)


def player_weeks(cursor: ServingCursor, scope: RowScope, first: date, last: date, player_id=None):
    where, params = scope_filter(scope, "weeks")
    if player_id is not None:
        where, params = f"{where} AND weeks.player_id = ?", [*params, str(player_id)]
    cursor.execute(
        f"""
        SELECT weeks.player_id, players.player_name, weeks.week_start, weeks.planned_load_au, weeks.actual_load_au,
               weeks.planned_sessions, weeks.scheduled_sessions, weeks.scheduled_load_au, weeks.logged_sessions,
               weeks.actual_to_planned_load_ratio,
               weeks.sessions_missed, weeks.sessions_added, weeks.is_complete_week,
               weeks.games_scheduled, weeks.games_logged
        FROM {PLAYER_WEEKS} AS weeks
        {player_names_join("weeks")}
        WHERE {where} AND weeks.week_start BETWEEN ? AND ?
        ORDER BY {BY_PLAYER_NAME.format(table="weeks")}, weeks.week_start
        """,
        [*params, first, last],
    )
    return records(cursor)


def key_games(cursor: ServingCursor, scope: RowScope, first: date, last: date) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "games")
    cursor.execute(
        f"""
        SELECT series_id, title, starts_at, priority FROM {KEY_GAMES} AS games
        WHERE {where} AND CAST(games.starts_at AS DATE) BETWEEN ? AND ?
        ORDER BY games.starts_at, games.series_id
        """,
        [*params, first, last],
    )
    return records(cursor)


def form_days(cursor: ServingCursor, scope: RowScope, first: date, last: date, player_id=None):
    """Per player and day, by player name then day."""
    where, params = scope_filter(scope, "form")
    if player_id is not None:
        where, params = f"{where} AND form.player_id = ?", [*params, str(player_id)]
    cursor.execute(
        f"""
        SELECT form.player_id, players.player_name, form.metric_date, form.is_projected, form.load_au,
               form.fitness_au, form.fatigue_au, form.form_au
        FROM {FORM} AS form
        {player_names_join("form")}
        WHERE {where} AND form.metric_date BETWEEN ? AND ?
        ORDER BY {BY_PLAYER_NAME.format(table="form")}, form.metric_date
        """,
        [*params, first, last],
    )
    return records(cursor)


def effort(cursor: ServingCursor, scope: RowScope) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "effort")
    cursor.execute(
        f"""
        SELECT effort.coach_id, coaches.player_name AS coach_name, effort.session_type, effort.pairs,
               effort.mean_intended_rpe, effort.mean_perceived_rpe, effort.mean_difference_rpe, effort.cohens_d,
               effort.hedges_g
        FROM {EFFORT} AS effort
        LEFT JOIN {PLAYERS} AS coaches ON coaches.player_id = effort.coach_id AND coaches.org_id = effort.org_id
        WHERE {where}
        ORDER BY coaches.player_name NULLS LAST, effort.coach_id,
                 CASE effort.session_type WHEN 'easy' THEN 1 WHEN 'moderate' THEN 2 WHEN 'hard' THEN 3
                     WHEN 'all' THEN 4 END
        """,
        params,
    )
    return records(cursor)


def goals(
    cursor: ServingCursor, scope: RowScope, player_id=None, team_ids: frozenset = frozenset()
) -> list[dict[str, Any]]:
    """Goals in scope, soonest due first; with ``player_id``, the player's own and the team goals of ``team_ids``."""
    where, params = scope_filter(scope, "goals")
    if player_id is not None:
        theirs = "goals.player_id = ? OR (goals.player_id IS NULL AND goals.team_id = ANY(?::VARCHAR[]))"
        where = f"{where} AND ({theirs})"
        params = [*params, str(player_id), sorted(str(t) for t in team_ids)]
    cursor.execute(
        f"""
        SELECT goals.goal_id, goals.team_id, goals.player_id, players.player_name, goals.title, goals.metric,
               goals.test_name, goals.comparator, goals.target_value, goals.target_max_value, goals.starts_on,
               goals.due_on, goals.current_value, goals.measured_on, goals.is_met, goals.progress_pct
        FROM {GOALS} AS goals
        {player_names_join("goals")}
        WHERE {where}
        ORDER BY goals.due_on, goals.title, goals.goal_id
        """,
        params,
    )
    return records(cursor)
