"""The club's fees for its admins: the marts' rows per team, the club's totals per currency, fees per age group,
money in and out per month, and what each reminder level achieves."""

from __future__ import annotations

from typing import Any

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden
from operational.stats import repository as stats_repository
from operational.stats.finance import repository
from operational.stats.finance.schemas import ClubFinanceRead
from warehouse.port import ServingCursor

ADMINS = ("club_admin", "platform_admin")
_SUMMED = ("invoices_issued", "invoiced_minor", "collected_minor", "outstanding_minor", "overdue_minor",
           "invoices_overdue")  # fmt: skip


def _totals(currency: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {"currency": currency, **{name: sum(row[name] for row in rows) for name in _SUMMED}}
    totals["collection_rate"] = (
        round(totals["collected_minor"] / totals["invoiced_minor"], 3) if totals["invoiced_minor"] else None
    )
    paid = [(row["average_days_to_pay"], row) for row in rows if row["average_days_to_pay"] is not None]
    # a team's average weighs as much as its invoices
    weights = sum(row["invoices_issued"] for _, row in paid)
    totals["average_days_to_pay"] = (
        round(sum(days * row["invoices_issued"] for days, row in paid) / weights, 1) if weights else None
    )
    return totals


def club_finance(cursor: ServingCursor, principal: Principal) -> ClubFinanceRead:
    if not principal.has_any_role(*ADMINS):
        raise Forbidden("The club's finances are for its admins.")
    rows = repository.club_finance(cursor, principal.org_id)
    for row in rows:
        if row["collection_rate"] is not None:
            row["collection_rate"] = round(row["collection_rate"], 3)
    currencies = sorted({row["currency"] for row in rows})
    age_groups = repository.by_age_group(cursor, principal.org_id)
    reminders = repository.reminder_effect(cursor, principal.org_id)
    for row in [*age_groups, *reminders]:
        for name in ("collection_rate", "share_paid_within_days"):
            if row.get(name) is not None:
                row[name] = round(row[name], 3)
    return ClubFinanceRead(
        as_of=stats_repository.snapshot_published_at(cursor),
        totals=[_totals(c, [row for row in rows if row["currency"] == c]) for c in currencies],
        teams=rows,
        age_groups=age_groups,
        months=repository.revenue_by_month(cursor, principal.org_id),
        reminders=reminders,
    )
