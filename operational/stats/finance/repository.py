"""All SQL of the finance statistics (fct_finance_by_team with team names, fct_finance_by_age_group,
fct_revenue_by_month, fct_reminder_effect)."""

from __future__ import annotations

import uuid
from typing import Any

from operational.stats.repository import TEAMS, records
from warehouse.port import ServingCursor

FINANCE_BY_TEAM = "fct_finance_by_team"
FINANCE_BY_AGE_GROUP = "fct_finance_by_age_group"
REVENUE_BY_MONTH = "fct_revenue_by_month"
REMINDER_EFFECT = "fct_reminder_effect"


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


def by_age_group(cursor: ServingCursor, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """One row per age group and currency of the club, by age group then currency."""
    cursor.execute(
        f"""
        SELECT age_group, currency, invoices_issued, invoiced_minor, average_fee_minor, collected_minor,
               outstanding_minor, overdue_minor, invoices_overdue, collection_rate, average_days_to_pay
        FROM {FINANCE_BY_AGE_GROUP} WHERE org_id = ? ORDER BY age_group, currency
        """,
        [str(org_id)],
    )
    return records(cursor)


def revenue_by_month(cursor: ServingCursor, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """One row per month and currency of the club, oldest first."""
    cursor.execute(
        f"""
        SELECT revenue_month, currency, payments_received, collected_minor, refunded_minor, net_revenue_minor
        FROM {REVENUE_BY_MONTH} WHERE org_id = ? ORDER BY revenue_month, currency
        """,
        [str(org_id)],
    )
    return records(cursor)


def reminder_effect(cursor: ServingCursor, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """One row per reminder level and currency of the club, by level."""
    cursor.execute(
        f"""
        SELECT reminder_level, currency, reminders_sent, reminded_minor, paid_within_days, within_days,
               share_paid_within_days
        FROM {REMINDER_EFFECT} WHERE org_id = ? ORDER BY reminder_level, currency
        """,
        [str(org_id)],
    )
    return records(cursor)
