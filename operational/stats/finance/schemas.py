from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

_MINOR = "integer minor units of the currency (cents for EUR)"


class FinanceFigures(BaseModel):
    currency: str = Field(description="ISO 4217 code; amounts of two currencies are never added up")
    invoices_issued: int = Field(description="Invoices issued and not voided")
    invoiced_minor: int = Field(description=f"Asked for, less credit notes and refunds; {_MINOR}")
    collected_minor: int = Field(description=f"Paid; {_MINOR}")
    outstanding_minor: int = Field(description=f"Still to pay; {_MINOR}")
    overdue_minor: int = Field(description=f"Of that, past the due day; {_MINOR}")
    invoices_overdue: int
    collection_rate: float | None = Field(description="collected ÷ invoiced, 0–1; null when nothing is asked for")
    average_days_to_pay: float | None = Field(description="Days from issue to settlement of paid invoices")


class TeamFinanceRead(FinanceFigures):
    team_id: uuid.UUID | None
    team_name: str | None = Field(description="The team's name; null when not yet known")


class AgeGroupFinanceRead(FinanceFigures):
    age_group: str = Field(description="The teams' age group (e.g. U16); '-' for teams without one")
    average_fee_minor: int | None = Field(description=f"Invoiced per invoice; {_MINOR}")


class RevenueMonthRead(BaseModel):
    revenue_month: date = Field(description="The month's first day")
    currency: str
    payments_received: int = Field(description="Payments by bank, card or in hand (not from a credit balance)")
    collected_minor: int = Field(description=f"Received in the month; {_MINOR}")
    refunded_minor: int = Field(description=f"Paid back out in the month (refunds kept as credit are not); {_MINOR}")
    net_revenue_minor: int = Field(description=f"collected − refunded; {_MINOR}")


class ReminderEffectRead(BaseModel):
    reminder_level: int = Field(description="1 for first reminders, 2 for second ones …")
    currency: str
    reminders_sent: int
    reminded_minor: int = Field(description=f"Overdue amounts reminded of; {_MINOR}")
    paid_within_days: int = Field(description="Reminders whose invoice was settled within `within_days` days after")
    within_days: int
    share_paid_within_days: float = Field(description="paid_within_days ÷ reminders_sent, 0–1")


class ClubFinanceRead(BaseModel):
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    totals: list[FinanceFigures] = Field(description="The club's totals, one per currency")
    teams: list[TeamFinanceRead] = Field(description="Per team and currency, by team name")
    age_groups: list[AgeGroupFinanceRead] = Field(default_factory=list, description="Per age group and currency")
    months: list[RevenueMonthRead] = Field(default_factory=list, description="Money in and out per month, oldest first")
    reminders: list[ReminderEffectRead] = Field(
        default_factory=list, description="Per reminder level and currency: how many were sent and what they achieved"
    )
