from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from contracts.medical import Restriction
from contracts.training import Direction, Instrument
from operational.kit.pagination import Page

# The last calendar day anywhere on earth (UTC+14): a date after it is in the future for every club.
_LATEST_ZONE = timezone(timedelta(hours=14))


class RpeLogCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_date: date = Field(description="The day of the session (ISO 8601, e.g. 2026-11-21)")
    rpe: int = Field(ge=0, le=10, description="Session RPE on the CR-10 scale, 0 (rest) to 10 (maximal)")
    duration_minutes: int = Field(ge=1, le=600, description="Session duration in minutes, 1 to 600")
    player_id: uuid.UUID | None = Field(None, description="Defaults to the caller; only your own sessions for now")
    team_id: uuid.UUID | None = Field(None, description="Defaults to your team when you are in exactly one")
    session_id: uuid.UUID | None = Field(None, description="The planned session this was, if any")

    @field_validator("session_date")
    @classmethod
    def _not_in_future(cls, value: date) -> date:
        if value > datetime.now(_LATEST_ZONE).date():
            raise ValueError("the session date is in the future; log a session on or after the day it happened")
        if value < datetime.now(UTC).date() - timedelta(days=366):
            raise ValueError("the session date is more than a year ago")
        return value


class RpeLogRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    session_date: date
    rpe: int
    duration_minutes: int
    session_rpe_load_au: int = Field(description="rpe × duration_minutes, in arbitrary units (AU)")
    logged_at: datetime


RpeLogPage = Page[RpeLogRead]

ExerciseCategory = Literal["on_ice", "strength", "power", "conditioning", "agility", "mobility", "core"]


# --- wellness -------------------------------------------------------------------------------------------------------
class WellnessCreate(BaseModel):
    """Today's questionnaire. ``items`` are the instrument's items: Hooper 1–7 (1 = very, very good), McLean 1–5
    (5 = best). The instrument is the team's setting; send it only to check it."""

    model_config = ConfigDict(extra="forbid")

    wellness_date: date | None = Field(None, description="Defaults to today in the club's time zone")
    items: dict[str, int]
    sleep_hours: float | None = Field(None, ge=0, le=24)
    instrument: Instrument | None = None
    team_id: uuid.UUID | None = None
    player_id: uuid.UUID | None = Field(None, description="A guardian answers for a minor")


class WellnessRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    wellness_date: date
    instrument: str
    items: dict[str, int]
    total_score: int
    sleep_hours: float | None
    submitted_at: datetime


WellnessPage = Page[WellnessRead]


class TeamSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    wellness_instrument: Instrument


class TeamSettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    team_id: uuid.UUID
    wellness_instrument: str


# --- physical tests -------------------------------------------------------------------------------------------------
class PhysicalTestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=80, description="e.g. '1RM back squat', '30 m sprint'")
    unit: str = Field(min_length=1, max_length=16, description="e.g. kg, s, cm")
    direction: Direction
    description: str = Field("", max_length=500)


class PhysicalTestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    unit: str
    direction: str
    description: str


class TestResultCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    __test__ = False  # a domain name, not a pytest test class

    player_id: uuid.UUID
    value: float = Field(gt=-1e6, lt=1e6)
    tested_on: date
    team_id: uuid.UUID | None = None


class TestResultRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    __test__ = False

    id: uuid.UUID
    test_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    value: float
    tested_on: date


TestResultPage = Page[TestResultRead]


# --- exercise library and templates ---------------------------------------------------------------------------------
class ExerciseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=80)
    category: ExerciseCategory
    equipment: list[str] = Field(default_factory=list, max_length=10)
    muscle_groups: list[str] = Field(default_factory=list, max_length=10)
    instructions: str = Field("", max_length=2000)
    reference_test_name: str | None = Field(None, description="Test whose result personalises % loads")
    unsuitable_for: list[Restriction] = Field(default_factory=list)


class ExerciseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=2, max_length=80)
    category: ExerciseCategory | None = None
    equipment: list[str] | None = None
    muscle_groups: list[str] | None = None
    instructions: str | None = Field(None, max_length=2000)
    reference_test_name: str | None = None
    unsuitable_for: list[Restriction] | None = None


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


class Prescription(BaseModel):
    """One exercise in a block. Load is absolute (kg) or a percentage of the player's latest tested max."""

    model_config = ConfigDict(extra="forbid")

    exercise_id: uuid.UUID
    sets: int = Field(1, ge=1, le=20)
    reps: int | None = Field(None, ge=1, le=100)
    duration_seconds: int | None = Field(None, ge=1, le=7200, description="For intervals and holds")
    rest_seconds: int = Field(60, ge=0, le=1800)
    load_kg: float | None = Field(None, ge=0, le=500)
    load_percent_of_max: float | None = Field(None, gt=0, le=120)

    @model_validator(mode="after")
    def _one_way_to_load(self):
        if self.load_kg is not None and self.load_percent_of_max is not None:
            raise ValueError("give load_kg or load_percent_of_max, not both")
        if self.reps is None and self.duration_seconds is None:
            raise ValueError("give reps or duration_seconds")
        return self


class Block(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    exercises: list[Prescription] = Field(min_length=1, max_length=30)


class TemplateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=80)
    description: str = Field("", max_length=2000)
    blocks: list[Block] = Field(min_length=1, max_length=12)


class TemplateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=2, max_length=80)
    description: str | None = Field(None, max_length=2000)
    blocks: list[Block] | None = Field(None, min_length=1, max_length=12)


class TemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    blocks: list[Block]


# --- sessions -------------------------------------------------------------------------------------------------------
class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=2, max_length=80)
    starts_at: AwareDatetime
    template_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = Field(None, description="The whole team, or list players")
    player_ids: list[uuid.UUID] = Field(default_factory=list, max_length=60)
    planned_duration_minutes: int | None = Field(None, ge=1, le=600)
    planned_rpe: int | None = Field(None, ge=0, le=10)
    calendar_event_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _someone_trains(self):
        if not self.player_ids:
            raise ValueError("list the players (player_ids) who train in this session")
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


class SessionRead(BaseModel):
    id: uuid.UUID
    title: str
    starts_at: datetime
    template_id: uuid.UUID | None
    team_id: uuid.UUID | None
    planned_duration_minutes: int | None
    planned_rpe: int | None
    calendar_event_id: uuid.UUID | None
    cancelled: bool
    assignments: list[AssignmentRead]


class PerformedUpdate(BaseModel):
    """What the player actually did (sets, reps, kg per exercise), when it differs from the prescription."""

    model_config = ConfigDict(extra="forbid")

    performed: list[dict] = Field(default_factory=list, max_length=100)
