from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

ProblemKind = Literal["injury", "illness"]
GroupBy = Literal["osiics_group", "body_area"]

_OTHER = "`Other` merges groups of fewer than three problems for everyone but medical staff"


class SurveillanceRowRead(BaseModel):
    """IOC 2020 (Bahr et al., BJSM 54:372) figures of a group of problems over the team's season exposure."""

    group: str = Field(description=f"`All`, an OSIICS body area or group; {_OTHER}")
    problems: int = Field(description="Problems with onset in the season")
    time_loss_problems: int
    open_problems: int = Field(description="Problems without a return to full participation yet")
    incidence_per_1000h: float | None = Field(description="Problems per 1,000 h of exposure; null without exposure")
    game_incidence_per_1000h: float | None = Field(description="Problems begun in games per 1,000 game hours")
    practice_incidence_per_1000h: float | None = Field(description="Problems begun in practice per 1,000 practice h")
    mean_severity_days: float | None = Field(description="Mean days lost per closed problem")
    burden_days_per_1000h: float | None = Field(description="Incidence × mean severity: days lost per 1,000 h")
    burden_ci_low: float | None = Field(description="Bootstrap 95 % interval (players resampled), lower bound")
    burden_ci_high: float | None = Field(description="Bootstrap 95 % interval, upper bound")
    severity_0_7_days: int = Field(description="Closed problems of 0-7 days")
    severity_8_28_days: int
    severity_over_28_days: int


class KindSurveillanceRead(BaseModel):
    kind: ProblemKind
    total: SurveillanceRowRead = Field(description="The team's season")
    by_body_area: list[SurveillanceRowRead] = Field(description="Most problems first; the risk matrix's points")
    by_osiics_group: list[SurveillanceRowRead] = Field(description="Most problems first")


class TeamSurveillanceRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None = Field(description="The team's name; null when not yet known")
    season: int = Field(description="The season, named by the year it starts in (seasons start on 1 August)")
    seasons: list[int] = Field(description="Seasons with data for the team, newest first")
    as_of: datetime = Field(description="When the statistics snapshot these figures come from was published")
    exposure_hours: float = Field(description="The team's exposure in the season (h)")
    practice_hours: float
    game_hours: float
    kinds: list[KindSurveillanceRead] = Field(description="Injuries, then illnesses (kinds with problems only)")


class ReturnToPlayGroupRead(BaseModel):
    group: str = Field(description=f"OSIICS group or body area; {_OTHER}")
    problems: int = Field(description="Time-loss problems in the group")
    returned: int = Field(description="Of them, back to full participation")
    still_out: int = Field(description="Of them, still out (censored at today)")
    median_days: float | None = Field(description="Kaplan-Meier median days to return; null while over half are out")
    days: list[float] = Field(description="Days since onset where the curve steps")
    share_still_out: list[float] = Field(description="Kaplan-Meier share not yet returned at each of `days`, 0-1")


class TeamReturnToPlayRead(BaseModel):
    team_id: uuid.UUID
    team_name: str | None
    today: date = Field(description="The club's today, at which open problems are censored")
    as_of: datetime
    group_by: GroupBy
    season: int | None = Field(description="The season asked for; null for every season")
    groups: list[ReturnToPlayGroupRead] = Field(description="Most problems first")
