"""Treatments and return to play: request and response shapes (clinical: medical staff, the player, a guardian)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from operational.kit.pagination import Page
from operational.kit.schemas import Day, PatchModel, SingleLine, WriteModel

TreatmentKind = Literal[
    "assessment", "physiotherapy", "manual_therapy", "exercise_therapy", "medication", "injection", "imaging",
    "surgery", "taping_bracing", "referral", "other",
]  # fmt: skip


class TreatmentCreate(WriteModel):
    treated_on: Day
    kind: TreatmentKind
    clinician: SingleLine = Field(min_length=1, max_length=200, description="Who gave the treatment")
    notes: str = Field("", max_length=10_000)


class TreatmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    problem_id: uuid.UUID
    player_id: uuid.UUID
    treated_on: date
    kind: TreatmentKind
    clinician: str
    notes: str
    recorded_by: uuid.UUID
    created_at: datetime


class TreatmentPage(Page[TreatmentRead]):
    pass


class StageRead(BaseModel):
    number: int
    name: str
    activity: str
    entry_criteria: str
    availability: str
    restrictions: list[str]


class ProtocolRead(BaseModel):
    key: str
    name: str
    citation: str
    minimum_hours_per_stage: int
    stages: list[StageRead]


class ProtocolPage(Page[ProtocolRead]):
    pass


class ReturnToPlayStart(WriteModel):
    protocol: Literal["concussion_graduated_return"]
    note: str = Field("", max_length=2000)


class StageDecision(WriteModel):
    action: Literal["advance", "symptoms_returned"] = Field(
        description="advance: to the next stage (its entry criteria met, the minimum time at this one passed); "
        "symptoms_returned: back one stage"
    )
    entry_criteria_met: bool = Field(False, description="advance: you confirm the next stage's entry criteria")
    note: str = Field("", max_length=2000)


class StageChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_stage: int | None
    to_stage: int
    reason: str
    note: str
    decided_by: uuid.UUID
    decided_at: datetime


class ReturnToPlayRead(BaseModel):
    problem_id: uuid.UUID
    player_id: uuid.UUID
    protocol: str
    stage: int
    stage_name: str
    stage_entered_at: datetime
    earliest_next_stage_at: datetime | None
    completed_at: datetime | None
    history: list[StageChangeRead]


# --- rehab plans ----------------------------------------------------------------------------------------------------
class PlanExercise(WriteModel):
    exercise_id: uuid.UUID = Field(description="A predefined exercise of the training library, or one of the club's")
    phase: SingleLine = Field("", max_length=100, description="The phase it belongs to, e.g. 'Phase 1: protection'")
    sets: int | None = Field(None, ge=1, le=20)
    reps: int | None = Field(None, ge=1, le=500, description="Repetitions per set (or seconds, as the notes say)")
    load: SingleLine = Field("", max_length=100, description="In words: 'bodyweight', '20 kg', 'RPE 5' …")
    times_per_week: int = Field(ge=1, le=14, description="How often: sessions per week")
    notes: str = Field("", max_length=2000)


class RehabPlanCreate(WriteModel):
    starts_on: Day
    ends_on: Day | None = Field(None, description="The planned end (none: until medical staff close the plan)")
    goal: str = Field("", max_length=2000, description="What the plan aims at, in words")
    exercises: list[PlanExercise] = Field(min_length=1, max_length=60)


class RehabPlanUpdate(PatchModel):
    nullable_fields = frozenset({"ends_on"})

    starts_on: Day | None = None
    ends_on: Day | None = None
    goal: str | None = Field(None, max_length=2000)
    exercises: list[PlanExercise] | None = Field(None, min_length=1, max_length=60)


class PlanExerciseRead(BaseModel):
    exercise_id: uuid.UUID
    exercise_name: str
    category: str
    phase: str
    sets: int | None
    reps: int | None
    load: str
    times_per_week: int
    notes: str


class RehabPlanRead(BaseModel):
    id: uuid.UUID
    problem_id: uuid.UUID
    player_id: uuid.UUID
    starts_on: date
    ends_on: date | None
    goal: str
    exercises: list[PlanExerciseRead]
    created_by: uuid.UUID
    created_at: datetime
    updated_by: uuid.UUID
    updated_at: datetime
