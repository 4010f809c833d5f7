"""Request and response shapes of the exercise library, workout templates and planned sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.medical import Restriction
from operational.kit.pagination import Page
from operational.kit.schemas import Moment, PatchModel, SingleLine, WriteModel

ExerciseCategory = Literal["on_ice", "strength", "power", "conditioning", "agility", "mobility", "core"]
# equipment and muscle-group tags
Tag = Annotated[SingleLine, Field(min_length=1, max_length=40)]


# --- exercise library -----------------------------------------------------------------------------------------------
class ExerciseCreate(WriteModel):
    name: SingleLine = Field(min_length=2, max_length=80)
    category: ExerciseCategory
    equipment: list[Tag] = Field(default_factory=list, max_length=10)
    muscle_groups: list[Tag] = Field(default_factory=list, max_length=10)
    instructions: str = Field("", max_length=2000)
    reference_test_name: SingleLine | None = Field(
        None, max_length=80, description="Test whose result personalises % loads"
    )
    unsuitable_for: list[Restriction] = Field(default_factory=list, max_length=5)


class ExerciseUpdate(PatchModel):
    """Send only what changes; ``reference_test_name`` may be cleared with null."""

    nullable_fields = frozenset({"reference_test_name"})

    name: SingleLine | None = Field(None, min_length=2, max_length=80)
    category: ExerciseCategory | None = None
    equipment: list[Tag] | None = Field(None, max_length=10)
    muscle_groups: list[Tag] | None = Field(None, max_length=10)
    instructions: str | None = Field(None, max_length=2000)
    reference_test_name: SingleLine | None = Field(None, max_length=80)
    unsuitable_for: list[Restriction] | None = Field(None, max_length=5)


class ExerciseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    category: str
    equipment: list[str]
    muscle_groups: list[str]
    instructions: str
    reference_test_name: str | None
    unsuitable_for: list[str]
    predefined: bool = False


ExercisePage = Page[ExerciseRead]


# --- templates ------------------------------------------------------------------------------------------------------
class Prescription(WriteModel):
    """One exercise in a block. Load is absolute (kg) or a percentage of the player's latest tested max."""

    exercise_id: uuid.UUID
    sets: int = Field(1, ge=1, le=20)
    reps: int | None = Field(None, ge=1, le=100)
    duration_seconds: int | None = Field(None, ge=1, le=7200, description="For intervals and holds")
    rest_seconds: int = Field(60, ge=0, le=1800)
    load_kg: float | None = Field(None, ge=0, le=500, allow_inf_nan=False)
    load_percent_of_max: float | None = Field(None, gt=0, le=120, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_way_to_load(self):
        if self.load_kg is not None and self.load_percent_of_max is not None:
            raise ValueError("give load_kg or load_percent_of_max, not both")
        if self.reps is None and self.duration_seconds is None:
            raise ValueError("give reps or duration_seconds")
        return self


class Block(WriteModel):
    name: SingleLine = Field(min_length=1, max_length=60)
    exercises: list[Prescription] = Field(min_length=1, max_length=30)


class TemplateCreate(WriteModel):
    name: SingleLine = Field(min_length=2, max_length=80)
    description: str = Field("", max_length=2000)
    blocks: list[Block] = Field(min_length=1, max_length=12)


class TemplateUpdate(PatchModel):
    """Send only what changes (``blocks`` replaces every block)."""

    name: SingleLine | None = Field(None, min_length=2, max_length=80)
    description: str | None = Field(None, max_length=2000)
    blocks: list[Block] | None = Field(None, min_length=1, max_length=12)


class TemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    blocks: list[Block]
    created_by: uuid.UUID
    updated_at: datetime


TemplatePage = Page[TemplateRead]


# --- sessions -------------------------------------------------------------------------------------------------------
class SessionCreate(WriteModel):
    title: SingleLine = Field(min_length=1, max_length=80)
    starts_at: Moment
    template_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = Field(
        None, description="The team training: without player_ids, everyone on its roster today"
    )
    player_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=60, description="Who trains; with team_id, players of that team"
    )
    planned_duration_minutes: int | None = Field(None, ge=1, le=600)
    planned_rpe: int | None = Field(None, ge=0, le=10)
    calendar_event_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _someone_trains(self):
        if self.team_id is None and not self.player_ids:
            raise ValueError("name the team (team_id) or list the players (player_ids) who train in this session")
        return self


class PrescribedExercise(BaseModel):
    exercise_id: uuid.UUID
    exercise_name: str
    sets: int
    reps: int | None
    duration_seconds: int | None
    rest_seconds: int
    load_kg: float | None = Field(None, description="Resolved for this player (absolute, or % of the tested max)")
    load_note: str | None = Field(None, description="Why a load could not be personalised, if so")
    flagged: str | None = Field(None, description="Why this exercise is unsuitable for the player today")


class AssignmentRead(BaseModel):
    player_id: uuid.UUID
    status: str
    restricted: bool
    restriction_reasons: list[str]
    blocks: list[dict]
    started_at: datetime | None
    completed_at: datetime | None


class SessionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    starts_at: datetime
    template_id: uuid.UUID | None
    team_id: uuid.UUID | None
    planned_duration_minutes: int | None
    planned_rpe: int | None
    calendar_event_id: uuid.UUID | None
    cancelled: bool


SessionPage = Page[SessionSummary]


class SessionRead(SessionSummary):
    assignments: list[AssignmentRead]


class PerformedExercise(WriteModel):
    """What a player did of one exercise."""

    exercise_id: uuid.UUID
    sets: int | None = Field(None, ge=0, le=50)
    reps: int | None = Field(None, ge=0, le=500)
    load_kg: float | None = Field(None, ge=0, le=500, allow_inf_nan=False)
    duration_seconds: int | None = Field(None, ge=0, le=7200)
    note: SingleLine | None = Field(None, max_length=200)


class PerformedUpdate(WriteModel):
    """What the player actually did, when it differs from the prescription."""

    performed: list[PerformedExercise] = Field(default_factory=list, max_length=100)
