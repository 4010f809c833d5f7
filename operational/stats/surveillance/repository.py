"""All SQL of injury surveillance (fct_injury_incidence, fct_health_problems, fct_player_exposure_daily). The
problems come without diagnosis: the OSIICS group is the finest classification the warehouse holds."""

from __future__ import annotations

import uuid
from typing import Any

from operational.stats.repository import records
from warehouse.port import ServingCursor

INCIDENCE = "fct_injury_incidence"
HEALTH_PROBLEMS = "fct_health_problems"
EXPOSURE = "fct_player_exposure_daily"


def seasons(cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID) -> list[int]:
    """The seasons with exposure or problems of the team, newest first."""
    rows = cursor.execute(
        f"""
        SELECT season_start_year FROM {EXPOSURE} WHERE org_id = ? AND team_id = ?
        UNION
        SELECT season_start_year FROM {HEALTH_PROBLEMS} WHERE org_id = ? AND team_id = ?
        ORDER BY season_start_year DESC
        """,
        [str(org_id), str(team_id), str(org_id), str(team_id)],
    ).fetchall()
    return [season for (season,) in rows if season is not None]


def incidence_rows(cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID, season: int) -> list[dict[str, Any]]:
    cursor.execute(
        f"""
        SELECT problem_kind, breakdown, breakdown_value, problems_count, time_loss_problems_count,
               open_problems_count, closed_problems_count, severity_0_7_days_count, severity_8_28_days_count,
               severity_over_28_days_count, days_lost, exposure_hours, practice_exposure_hours,
               game_exposure_hours, incidence_per_1000h, game_incidence_per_1000h, practice_incidence_per_1000h,
               mean_severity_days, burden_days_per_1000h
        FROM {INCIDENCE}
        WHERE org_id = ? AND team_id = ? AND season_start_year = ?
        ORDER BY problem_kind, breakdown, problems_count DESC, breakdown_value
        """,
        [str(org_id), str(team_id), season],
    )
    return records(cursor)


def team_season_exposure(cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID, season: int) -> dict[str, Any]:
    """Hours per player of the team in the season, and the team's practice and game hours."""
    rows = cursor.execute(
        f"""
        SELECT player_id, sum(exposure_hours) AS hours, sum(practice_hours) AS practice, sum(game_hours) AS games
        FROM {EXPOSURE}
        WHERE org_id = ? AND team_id = ? AND season_start_year = ?
        GROUP BY player_id
        """,
        [str(org_id), str(team_id), season],
    ).fetchall()
    return {
        "by_player": {player: hours for player, hours, _, _ in rows},
        "practice_hours": sum(r[2] for r in rows),
        "game_hours": sum(r[3] for r in rows),
    }


def team_problems(
    cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID, season: int | None
) -> list[dict[str, Any]]:
    """The team's problems (of one season, or of all when ``season`` is None), oldest first."""
    season_filter = "" if season is None else "AND season_start_year = ?"
    cursor.execute(
        f"""
        SELECT player_id, problem_kind, body_area, osiics_group, onset_activity, is_time_loss, onset_date,
               severity_days, is_open
        FROM {HEALTH_PROBLEMS}
        WHERE org_id = ? AND team_id = ? {season_filter}
        ORDER BY onset_date, problem_id
        """,
        [str(org_id), str(team_id)] + ([] if season is None else [season]),
    )
    return records(cursor)
