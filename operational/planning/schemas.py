"""Request and response models of season plans, weeks and key games (goals: goals/schemas.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.planning import PhaseKind, Priority
from operational.kit.pagination import Page
from operational.kit.schemas import Day, PatchModel, SingleLine, WriteModel
from operational.planning.templates import TEMPLATE_NAMES

MAX_WEEKLY_LOAD_AU = 20_000  # 28 sessions of 120 min at RPE 6 is about 20 000 AU: beyond it is a typo
Name = Field(min_length=1, max_length=120)


def _in_order(starts_on: date | None, ends_on: date | None, what: str) -> None:
    if starts_on and ends_on and starts_on > ends_on:
        raise ValueError(f"the {what} must start on or before the day it ends")


class PhaseWrite(WriteModel):
    kind: PhaseKind
    name: SingleLine = Name
    starts_on: Day
    ends_on: Day

    @model_validator(mode="after")
    def _dates(self) -> PhaseWrite:
        _in_order(self.starts_on, self.ends_on, "phase")
        return self


class MesocycleWrite(WriteModel):
    name: SingleLine = Name
    starts_on: Day
    ends_on: Day
    focus: SingleLine = Field("", max_length=200)

    @model_validator(mode="after")
    def _dates(self) -> MesocycleWrite:
        _in_order(self.starts_on, self.ends_on, "mesocycle")
        if (self.ends_on - self.starts_on).days > 7 * 16:
            raise ValueError("a mesocycle lasts at most 16 weeks; split it")
        return self


class PlanCreate(WriteModel):
    team_id: uuid.UUID
    name: SingleLine = Name
    starts_on: Day
    ends_on: Day
    phases: list[PhaseWrite] = Field(default_factory=list, max_length=12)
    mesocycles: list[MesocycleWrite] = Field(default_factory=list, max_length=60)

    @model_validator(mode="after")
    def _dates(self) -> PlanCreate:
        _in_order(self.starts_on, self.ends_on, "plan")
        if (self.ends_on - self.starts_on).days > 400:
            raise ValueError("a season plan covers at most 400 days; make one plan per season")
        return self


class PlanUpdate(PatchModel):
    """Fields left out are kept; ``phases`` and ``mesocycles``, when sent, replace the plan's."""

    name: SingleLine | None = Field(None, min_length=1, max_length=120)
    starts_on: Day | None = None
    ends_on: Day | None = None
    phases: list[PhaseWrite] | None = Field(None, max_length=12)
    mesocycles: list[MesocycleWrite] | None = Field(None, max_length=60)


class PhaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    kind: PhaseKind
    name: str
    starts_on: date
    ends_on: date


class MesocycleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    phase_id: uuid.UUID | None
    name: str
    starts_on: date
    ends_on: date
    focus: str


class PlanRead(BaseModel):
    id: uuid.UUID
    team_id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    phases: list[PhaseRead]
    mesocycles: list[MesocycleRead]
    created_by: uuid.UUID
    updated_at: datetime


class PlanSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    team_id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date


class PlanPage(Page[PlanSummary]):
    pass


# --- weeks ----------------------------------------------------------------------------------------------------------
class IntensityMixWrite(WriteModel):
    """Share of the week's sessions at low, moderate and high intensity, in percent (adds up to 100)."""

    low_pct: int = Field(ge=0, le=100)
    moderate_pct: int = Field(ge=0, le=100)
    high_pct: int = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _sums(self) -> IntensityMixWrite:
        if self.low_pct + self.moderate_pct + self.high_pct != 100:
            raise ValueError("the intensity shares must add up to 100 percent")
        return self


class WeekWrite(WriteModel):
    planned_sessions: int = Field(ge=0, le=28)
    planned_load_au: int = Field(ge=0, le=MAX_WEEKLY_LOAD_AU, description="Σ planned RPE × minutes, in AU")
    intensity_mix: IntensityMixWrite
    focus: SingleLine = Field("", max_length=200)


class KeyGameRead(BaseModel):
    series_id: uuid.UUID
    title: str
    starts_at: datetime
    priority: Priority | None = Field(description="A: peak for it; B: light taper; C: train through; null: not set")


class WeekRead(BaseModel):
    week_start: date
    week_end: date
    planned_sessions: int
    planned_load_au: int
    intensity_mix: IntensityMixWrite
    focus: str
    phase: str | None = Field(description="The phase the week's Monday falls in")
    mesocycle: str | None
    key_games: list[KeyGameRead]
    taper: bool = Field(description="An A game falls in this week or the next (a B game: in this week)")


class WeekList(BaseModel):
    items: list[WeekRead]


class WeekCopy(WriteModel):
    to_week_start: Day = Field(description="The Monday of the week to fill (replaced if planned)")


class TemplateApply(WriteModel):
    template: Literal[TEMPLATE_NAMES]  # type: ignore[valid-type]
    base_load_au: int = Field(ge=0, le=MAX_WEEKLY_LOAD_AU, description="The template's 100 % week, in AU")
    sessions_per_week: int = Field(ge=0, le=28)
    focus: SingleLine = Field("", max_length=200)


class PlanShift(WriteModel):
    from_week_start: Day = Field(description="The first Monday to move; it and every later week move")
    weeks: int = Field(ge=-12, le=12, description="Weeks to move by: positive later, negative earlier")

    @model_validator(mode="after")
    def _moves(self) -> PlanShift:
        if self.weeks == 0:
            raise ValueError("weeks must not be 0: say how many weeks to move the plan by")
        return self


class KeyGamePriorityWrite(WriteModel):
    priority: Priority


class KeyGameList(BaseModel):
    items: list[KeyGameRead]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
