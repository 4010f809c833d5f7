"""All SQL of team availability (dim_player_availability over the current roster, fct_team_availability_weekly)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from operational.stats.repository import AVAILABILITY, MEMBERSHIPS, player_names_join, records
from warehouse.port import ServingCursor

WEEKLY_AVAILABILITY = "fct_team_availability_weekly"


def roster_availability(cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID) -> list[dict]:
    """The team's current players by name, each with the availability in force today (nulls when none was ever
    recorded)."""
    cursor.execute(
        f"""
        SELECT roster.player_id, any_value(players.player_name) AS player_name,
               any_value(availability.availability_status) AS availability_status,
               any_value(availability.restrictions_json) AS restrictions_json,
               any_value(availability.effective_from) AS effective_from,
               any_value(availability.expected_until) AS expected_until,
               any_value(availability.note_for_staff) AS note_for_staff
        FROM {MEMBERSHIPS} AS roster
        {player_names_join("roster")}
        LEFT JOIN {AVAILABILITY} AS availability
            ON availability.player_id = roster.player_id AND availability.org_id = roster.org_id
        WHERE roster.org_id = ? AND roster.team_id = ? AND roster.role = 'player' AND roster.is_current
        GROUP BY roster.player_id
        ORDER BY lower(any_value(players.player_name)) NULLS LAST, roster.player_id
        """,
        [str(org_id), str(team_id)],
    )
    return records(cursor)


def team_weeks(
    cursor: ServingCursor, org_id: uuid.UUID, team_id: uuid.UUID, week_from: date, week_to: date
) -> list[dict[str, Any]]:
    cursor.execute(
        f"""
        SELECT week_start, player_days, available_player_days, limited_player_days, unavailable_player_days,
               availability_pct, participation_pct
        FROM {WEEKLY_AVAILABILITY}
        WHERE org_id = ? AND team_id = ? AND week_start BETWEEN ? AND ?
        ORDER BY week_start
        """,
        [str(org_id), str(team_id), week_from, week_to],
    )
    return records(cursor)
