"""Treatments and return to play: request and response shapes (clinical: medical staff, the player, a guardian)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from operational.kit.pagination import Page
from operational.kit.schemas import Day, SingleLine, WriteModel

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
