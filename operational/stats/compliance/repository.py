"""All SQL of logging compliance: today's roster (dim_team_memberships) and each player's logging days."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from operational.stats.repository import (
    BY_PLAYER_NAME,
    DAILY_LOAD,
    MEMBERSHIPS,
    WELLNESS,
    player_names_join,
    records,
)
from warehouse.port import ServingCursor


def roster_logging(
    cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID, window_from: date, today: date
) -> list[dict[str, Any]]:
    """Each player on the team today with their last RPE and wellness days and their logging days in the window.

    Every log of the player in the club counts, whichever team it is filed under: the question is whether the
    player keeps logging, not for which team."""
    org = str(org_id)
    cursor.execute(
        f"""
        WITH roster AS (
            SELECT DISTINCT org_id, player_id FROM {MEMBERSHIPS}
            WHERE org_id = ? AND team_id = ? AND role = 'player' AND is_current
        ),
        rpe AS (
            SELECT player_id, max(session_date) AS last_rpe_date,
                   count(DISTINCT session_date) FILTER (WHERE session_date BETWEEN ? AND ?) AS rpe_days_in_window
            FROM {DAILY_LOAD}
            WHERE org_id = ? AND session_count > 0 AND session_date <= ?
            GROUP BY player_id
        ),
        wellness AS (
            SELECT player_id, max(wellness_date) AS last_wellness_date,
                   count(DISTINCT wellness_date) FILTER (WHERE wellness_date BETWEEN ? AND ?)
                       AS wellness_days_in_window
            FROM {WELLNESS}
            WHERE org_id = ? AND wellness_date <= ?
            GROUP BY player_id
        )
        SELECT roster.player_id, players.player_name, rpe.last_rpe_date, wellness.last_wellness_date,
               coalesce(rpe.rpe_days_in_window, 0) AS rpe_days_in_window,
               coalesce(wellness.wellness_days_in_window, 0) AS wellness_days_in_window
        FROM roster
        {player_names_join("roster")}
        LEFT JOIN rpe ON rpe.player_id = roster.player_id
        LEFT JOIN wellness ON wellness.player_id = roster.player_id
        ORDER BY {BY_PLAYER_NAME.format(table="roster")}
        """,
        [org, str(team_id), window_from, today, org, today, window_from, today, org, today],
    )
    return records(cursor)


WEEKLY = "fct_monitoring_compliance_weekly"


def weekly_compliance(cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID, weeks: int) -> list[dict[str, Any]]:
    """The team's last ``weeks`` weeks of monitoring compliance, oldest first."""
    cursor.execute(
        f"""
        SELECT week_start, players_on_roster, expected_wellness_answers, wellness_answers, wellness_compliance,
               sessions_attended, rpe_logs, rpe_compliance
        FROM {WEEKLY} WHERE org_id = ? AND team_id = ? ORDER BY week_start DESC LIMIT ?
        """,
        [str(org_id), str(team_id), weeks],
    )
    return list(reversed(records(cursor)))
