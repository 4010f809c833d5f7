from __future__ import annotations

import uuid
from datetime import datetime

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


class ClubFinanceRead(BaseModel):
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    totals: list[FinanceFigures] = Field(description="The club's totals, one per currency")
    teams: list[TeamFinanceRead] = Field(description="Per team and currency, by team name")
