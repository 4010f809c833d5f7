"""Planning domain events: season plans (phases, mesocycles, weeks), key games' priorities, goals and development
plans.

A plan event carries the whole plan structure (phases and mesocycles) so a consumer keeps the latest copy without
replaying history; a week is its own event because weeks change one at a time (copied, templated, shifted).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from contracts.envelope import Payload, define_event

PhaseKind = Literal["pre_season", "in_season", "playoffs", "off_season"]
Priority = Literal["A", "B", "C"]
# What a goal measures, each a number the warehouse already computes (marts/planning/goal_progress).
GoalMetric = Literal["test_result", "attendance_rate", "wellness_compliance", "weekly_load"]
Comparator = Literal["at_least", "at_most"]


class IntensityMix(Payload):
    """Share of the week's planned sessions at each intensity, in percent (sums to 100)."""

    low_pct: int = Field(ge=0, le=100)
    moderate_pct: int = Field(ge=0, le=100)
    high_pct: int = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _sums_to_100(self) -> IntensityMix:
        if self.low_pct + self.moderate_pct + self.high_pct != 100:
            raise ValueError("the intensity shares must add up to 100 percent")
        return self


class Phase(Payload):
    phase_id: uuid.UUID
    kind: PhaseKind
    name: str
    starts_on: date
    ends_on: date = Field(description="Last day of the phase (included)")


class Mesocycle(Payload):
    mesocycle_id: uuid.UUID
    phase_id: uuid.UUID | None = None
    name: str
    starts_on: date
    ends_on: date = Field(description="Last day of the mesocycle (included)")
    focus: str = ""


class SeasonPlanSaved(Payload):
    """A team's season plan as it stands after a change: its dates, phases and mesocycles."""

    plan_id: uuid.UUID
    team_id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    phases: list[Phase] = Field(default_factory=list)
    mesocycles: list[Mesocycle] = Field(default_factory=list)


class SeasonPlanDeleted(Payload):
    plan_id: uuid.UUID
    team_id: uuid.UUID


class WeekPlanned(Payload):
    """One week (microcycle, Monday to Sunday) of a season plan: its planned load and focus."""

    week_id: uuid.UUID
    plan_id: uuid.UUID
    team_id: uuid.UUID
    week_start: date = Field(description="The Monday the week starts on")
    mesocycle_id: uuid.UUID | None = None
    focus: str = ""
    planned_sessions: int = Field(ge=0, le=28)
    planned_load_au: int = Field(ge=0, description="Planned session-RPE load of the week (Σ RPE × minutes), in AU")
    intensity_mix: IntensityMix


class WeekRemoved(Payload):
    week_id: uuid.UUID
    plan_id: uuid.UUID
    team_id: uuid.UUID
    week_start: date


class KeyGamePrioritised(Payload):
    """A game (a calendar event) ranked for tapering: A peaks, B trains through lightly, C trains through."""

    series_id: uuid.UUID
    team_id: uuid.UUID
    title: str
    starts_at: AwareDatetime
    priority: Priority


class GoalSet(Payload):
    """A goal for a team (``player_id`` absent) or one of its players, measured in the warehouse.

    ``test_result``: the player's latest result of ``test_name`` compared with ``target_value``; ``attendance_rate``
    and ``wellness_compliance``: percent over the goal's period; ``weekly_load``: the week's sRPE load (AU) within
    ``target_value``..``target_max_value``."""

    goal_id: uuid.UUID
    team_id: uuid.UUID
    player_id: uuid.UUID | None = None
    title: str
    metric: GoalMetric
    test_name: str | None = None
    comparator: Comparator = "at_least"
    target_value: float
    target_max_value: float | None = None
    starts_on: date
    due_on: date
    development_plan_id: uuid.UUID | None = None


class GoalRemoved(Payload):
    goal_id: uuid.UUID
    team_id: uuid.UUID
    player_id: uuid.UUID | None = None


class DevelopmentPlanSaved(Payload):
    """A player's development plan: the areas to work on (the reviews' text stays in the service)."""

    development_plan_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID
    title: str
    focus_areas: list[str]
    starts_on: date
    ends_on: date | None = None


class DevelopmentPlanReviewed(Payload):
    review_id: uuid.UUID
    development_plan_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID
    reviewed_on: date
    author_id: uuid.UUID
    recorded_at: datetime


SeasonPlanSavedEvent = define_event("planning.season_plan.saved", SeasonPlanSaved)
SeasonPlanDeletedEvent = define_event("planning.season_plan.deleted", SeasonPlanDeleted)
WeekPlannedEvent = define_event("planning.week.planned", WeekPlanned)
WeekRemovedEvent = define_event("planning.week.removed", WeekRemoved)
KeyGamePrioritisedEvent = define_event("planning.key_game.prioritised", KeyGamePrioritised)
GoalSetEvent = define_event("planning.goal.set", GoalSet)
GoalRemovedEvent = define_event("planning.goal.removed", GoalRemoved)
DevelopmentPlanSavedEvent = define_event("planning.development_plan.saved", DevelopmentPlanSaved)
DevelopmentPlanReviewedEvent = define_event("planning.development_plan.reviewed", DevelopmentPlanReviewed)
