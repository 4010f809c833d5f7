"""Request and response shapes of health problems, availability and the access log.

Clinical reads (``ProblemRead``) reach only medical staff, the player and a minor's guardian; ``AvailabilityRead`` is
what coaches get, and holds nothing clinical.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.medical import Activity, AvailabilityStatus, ProblemKind, Restriction
from operational.kit.pagination import Page
from operational.kit.schemas import Day, PatchModel, SingleLine, WriteModel

Side = Literal["left", "right", "bilateral"]
Onset = Literal["sudden", "gradual"]
Mechanism = Literal["contact", "non_contact"]


def _code():
    return Field(min_length=2, max_length=8, description="OSIICS code (GET /api/v1/medical/osiics-codes lists them)")


class OsiicsCodeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    kind: ProblemKind
    group: str
    body_area: str
    body_region: str
    tissue_pathology: str
    description: str
    needs_side: bool


class OsiicsCodePage(Page[OsiicsCodeRead]):
    pass


# --- health problems ------------------------------------------------------------------------------------------------
class ProblemCreate(WriteModel):
    player_id: uuid.UUID
    kind: ProblemKind
    osiics_code: str = _code()
    side: Side | None = Field(None, description="Required for a paired body area (limbs, shoulder, hip)")
    onset: Onset
    mechanism: Mechanism | None = Field(None, description="Injuries: contact or non-contact")
    activity: Activity
    time_loss: bool = Field(description="The player cannot take full part in training or games")
    onset_date: Day
    partial_return_date: Day | None = Field(None, description="Return to partial (modified) training")
    full_training_date: Day | None = Field(None, description="Return to full, unrestricted training")
    return_to_play_date: Day | None = Field(None, description="Return to competition: the problem is closed")
    expected_return_date: Day | None = Field(None, description="Expected return to full participation")
    restrictions: list[Restriction] = Field(default_factory=list, description="What the player may not do meanwhile")
    diagnosis: str = Field("", max_length=500, description="Clinical diagnosis in words (clinical: never shared)")
    notes: str = Field("", max_length=10_000, description="Clinical notes (never shared)")


class ProblemUpdate(PatchModel):
    nullable_fields = frozenset(
        {"side", "mechanism", "partial_return_date", "full_training_date", "return_to_play_date",
         "expected_return_date"}
    )  # fmt: skip

    osiics_code: str | None = Field(None, min_length=2, max_length=8)
    side: Side | None = None
    onset: Onset | None = None
    mechanism: Mechanism | None = None
    activity: Activity | None = None
    time_loss: bool | None = None
    onset_date: Day | None = None
    partial_return_date: Day | None = None
    full_training_date: Day | None = None
    return_to_play_date: Day | None = None
    expected_return_date: Day | None = None
    restrictions: list[Restriction] | None = None
    diagnosis: str | None = Field(None, max_length=500)
    notes: str | None = Field(None, max_length=10_000)


class ProblemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None
    kind: ProblemKind
    osiics_code: str
    osiics_group: str
    body_area: str
    osiics_description: str
    side: Side | None
    onset: Onset
    mechanism: Mechanism | None
    activity: Activity
    time_loss: bool
    onset_date: date
    partial_return_date: date | None
    full_training_date: date | None
    return_to_play_date: date | None
    expected_return_date: date | None
    severity_days: int | None = Field(description="Days from onset to return to full participation, once known")
    is_open: bool
    restrictions: list[Restriction]
    diagnosis: str
    notes: str
    recurrence_of: uuid.UUID | None = Field(description="The index problem this one recurs (same code and side)")
    recorded_by: uuid.UUID
    created_at: datetime
    updated_at: datetime


class ProblemPage(Page[ProblemRead]):
    pass


# --- availability ---------------------------------------------------------------------------------------------------
class AvailabilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    player_id: uuid.UUID
    status: AvailabilityStatus
    restrictions: list[Restriction]
    effective_from: date
    expected_until: date | None
    note_for_staff: str | None
    source: Literal["derived", "set_by_staff", "none"] = Field(
        description="derived from open problems, set by medical staff, or none recorded (available)"
    )


class AvailabilityPage(Page[AvailabilityRead]):
    pass


class AvailabilityUpdate(WriteModel):
    status: AvailabilityStatus
    restrictions: list[Restriction] = Field(default_factory=list)
    expected_until: Day | None = None
    note_for_staff: SingleLine | None = Field(
        None, max_length=200, description="Non-clinical guidance for coaches (no diagnosis)"
    )


# --- the access log -------------------------------------------------------------------------------------------------
class AccessLogRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    actor_id: uuid.UUID
    actor_role: str
    action: Literal["read", "create", "update", "delete"]
    record_type: str
    record_id: uuid.UUID | None
    purpose: str
    at: datetime


class AccessLogPage(Page[AccessLogRead]):
    pass


class MedicalExport(BaseModel):
    player_id: uuid.UUID
    exported_at: datetime
    tables: dict[str, list[dict[str, Any]]] = Field(
        description="health_problems, treatments, return_to_play, return_to_play_stage_changes, rehab_plans, "
        "ostrc_responses, documents, availability, access_log: every row about the player"
    )
