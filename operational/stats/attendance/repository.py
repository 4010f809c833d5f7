"""All SQL of team attendance (fct_weekly_attendance, with names)."""

from __future__ import annotations

from datetime import date
from typing import Any

from operational.stats.policies import RowScope
from operational.stats.repository import BY_PLAYER_NAME, player_names_join, records, scope_filter
from warehouse.port import ServingCursor

WEEKLY_ATTENDANCE = "fct_weekly_attendance"


def team_weeks(cursor: ServingCursor, scope: RowScope, week_from: date, week_to: date) -> list[dict[str, Any]]:
    """One row per player and week of the team, by player name then week."""
    where, params = scope_filter(scope, "weekly")
    cursor.execute(
        f"""
        SELECT weekly.player_id, players.player_name, weekly.week_start, weekly.events_recorded,
               weekly.events_attended, weekly.events_excused, weekly.attendance_rate
        FROM {WEEKLY_ATTENDANCE} AS weekly
        {player_names_join("weekly")}
        WHERE {where} AND weekly.week_start BETWEEN ? AND ?
        ORDER BY {BY_PLAYER_NAME.format(table="weekly")}, weekly.week_start
        """,
        [*params, week_from, week_to],
    )
    return records(cursor)
