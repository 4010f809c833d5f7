"""All SQL of the finance statistics (fct_finance_by_team, with team names)."""

from __future__ import annotations

import uuid
from typing import Any

from operational.stats.repository import TEAMS, records
from warehouse.port import ServingCursor

FINANCE_BY_TEAM = "fct_finance_by_team"


def club_finance(cursor: ServingCursor, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """One row per team and currency of the club, by team name then currency."""
    cursor.execute(
        f"""
        SELECT finance.team_id, teams.team_name, finance.currency, finance.invoices_issued, finance.invoiced_minor,
               finance.collected_minor, finance.outstanding_minor, finance.overdue_minor, finance.invoices_overdue,
               finance.collection_rate, finance.average_days_to_pay
        FROM {FINANCE_BY_TEAM} AS finance
        LEFT JOIN {TEAMS} AS teams ON teams.team_id = finance.team_id AND teams.org_id = finance.org_id
        WHERE finance.org_id = ?
        ORDER BY teams.team_name NULLS LAST, finance.team_id, finance.currency
        """,
        [str(org_id)],
    )
    return records(cursor)
