"""Request and response models of goals and development plans."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.planning import Comparator, GoalMetric
from operational.kit.pagination import Page
from operational.kit.schemas import Day, PatchModel, SingleLine, WriteModel

PERCENT_METRICS = frozenset({"attendance_rate", "wellness_compliance"})


def check_target(metric: str, test_name, target_value: float, target_max_value) -> None:
    """The target makes sense for what the goal measures (raises ValueError with a sentence for a person)."""
    if metric == "test_result" and not test_name:
        raise ValueError("a test-result goal names the test (test_name), e.g. '1RM back squat'")
    if metric != "test_result" and test_name:
        raise ValueError("only a test-result goal names a test; leave test_name out")
    if metric in PERCENT_METRICS and not 0 <= target_value <= 100:
        raise ValueError("attendance and wellness compliance are percentages: target_value between 0 and 100")
    if metric == "weekly_load":
        if target_max_value is None or target_max_value < target_value or target_value < 0:
            raise ValueError("a weekly load goal is a range in AU: target_value (lowest) ≤ target_max_value (highest)")
    elif target_max_value is not None:
        raise ValueError("only a weekly load goal has a target_max_value")


class GoalCreate(WriteModel):
    team_id: uuid.UUID
    player_id: uuid.UUID | None = Field(None, description="Absent: a goal for the whole team")
    development_plan_id: uuid.UUID | None = None
    title: SingleLine = Field(min_length=1, max_length=160)
    metric: GoalMetric
    test_name: SingleLine | None = Field(None, max_length=120)
    comparator: Comparator = "at_least"
    target_value: float = Field(ge=-1_000_000, le=1_000_000)
    target_max_value: float | None = Field(None, ge=0, le=1_000_000)
    starts_on: Day
    due_on: Day

    @model_validator(mode="after")
    def _target(self) -> GoalCreate:
        check_target(self.metric, self.test_name, self.target_value, self.target_max_value)
        if self.starts_on > self.due_on:
            raise ValueError("a goal starts on or before the day it is due")
        return self


class GoalUpdate(PatchModel):
    """Title, target and dates; what the goal measures and whose it is stay (set a new goal for that)."""

    nullable_fields = frozenset({"target_max_value"})
    title: SingleLine | None = Field(None, min_length=1, max_length=160)
    comparator: Comparator | None = None
    target_value: float | None = Field(None, ge=-1_000_000, le=1_000_000)
    target_max_value: float | None = Field(None, ge=0, le=1_000_000)
    starts_on: Day | None = None
    due_on: Day | None = None


class GoalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    team_id: uuid.UUID
    player_id: uuid.UUID | None
    development_plan_id: uuid.UUID | None
    title: str
    metric: GoalMetric
    test_name: str | None
    comparator: Comparator
    target_value: float
    target_max_value: float | None
    starts_on: date
    due_on: date
    created_by: uuid.UUID


class GoalPage(Page[GoalRead]):
    pass


# --- development plans ----------------------------------------------------------------------------------------------
FocusAreas = list[SingleLine]


class DevelopmentPlanCreate(WriteModel):
    player_id: uuid.UUID
    team_id: uuid.UUID = Field(description="The player's team whose staff look after the plan")
    title: SingleLine = Field(min_length=1, max_length=160)
    focus_areas: FocusAreas = Field(min_length=1, max_length=10)
    starts_on: Day
    ends_on: Day | None = None

    @model_validator(mode="after")
    def _dates(self) -> DevelopmentPlanCreate:
        if self.ends_on is not None and self.starts_on > self.ends_on:
            raise ValueError("a development plan starts on or before the day it ends")
        if any(not area or len(area) > 120 for area in self.focus_areas):
            raise ValueError("each focus area is 1 to 120 characters")
        return self


class DevelopmentPlanUpdate(PatchModel):
    nullable_fields = frozenset({"ends_on"})
    title: SingleLine | None = Field(None, min_length=1, max_length=160)
    focus_areas: FocusAreas | None = Field(None, min_length=1, max_length=10)
    ends_on: Day | None = None


class ReviewCreate(WriteModel):
    reviewed_on: Day
    summary: str = Field(min_length=1, max_length=4000)
    next_steps: str = Field("", max_length=4000)


class ReviewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    reviewed_on: date
    author_id: uuid.UUID
    summary: str
    next_steps: str
    recorded_at: datetime


class DevelopmentPlanRead(BaseModel):
    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID
    title: str
    focus_areas: list[str]
    starts_on: date
    ends_on: date | None
    goals: list[GoalRead]
    reviews: list[ReviewRead]


class DevelopmentPlanSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID
    title: str
    focus_areas: list[str]
    starts_on: date
    ends_on: date | None


class DevelopmentPlanPage(Page[DevelopmentPlanSummary]):
    pass
