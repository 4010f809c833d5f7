"""Medical domain events. Clinical detail stays in the medical service: what travels is availability (for training
and calendar) and, for the warehouse, the epidemiological outline of a health problem (no diagnosis, no code below
its OSIICS group, no side, no notes)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from contracts.envelope import Payload, define_event

AvailabilityStatus = Literal["available", "limited", "unavailable"]
# What a limited player may not do; calendar and training match these against event and exercise types.
Restriction = Literal[
    "no_contact", "no_on_ice", "no_high_intensity", "no_strength_lower_body", "no_strength_upper_body"
]
ProblemKind = Literal["injury", "illness"]
Activity = Literal["practice", "game", "other"]


class AvailabilityChanged(Payload):
    """A player's availability for training and games, as medical staff set it (no diagnosis, no clinical notes)."""

    player_id: uuid.UUID
    status: AvailabilityStatus
    restrictions: list[Restriction] = Field(default_factory=list)
    effective_from: date
    expected_until: date | None = Field(None, description="Expected return date, when known")
    note_for_staff: str | None = Field(None, max_length=200, description="Non-clinical guidance for coaches")


class HealthProblemRecorded(Payload):
    """A health problem as injury surveillance counts it (IOC 2020 consensus, Bahr et al., BJSM 54:372): sent when it
    is recorded and whenever its dates or classification change; the latest event of a problem replaces the earlier
    ones. Carries no diagnosis: the OSIICS group (body area + tissue/pathology type, or ``M`` + organ system for an
    illness) is the finest classification that leaves the medical service."""

    problem_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = Field(None, description="The player's team on the day of onset")
    kind: ProblemKind
    osiics_group: str = Field(min_length=2, max_length=2, description="e.g. 'TM' thigh muscle, 'MP' respiratory")
    body_area: str = Field(description="OSIICS body area (illness: 'Medical')")
    activity: Activity = Field(description="What the player was doing when it began")
    time_loss: bool = Field(description="True when the player could not take full part in training or games")
    onset_date: date
    partial_return_date: date | None = None
    full_training_date: date | None = None
    return_to_play_date: date | None = Field(None, description="Return to full participation (competition)")
    severity_days: int | None = Field(
        None, ge=0, description="Days from onset to return to full participation, once known"
    )
    recurrence_of: uuid.UUID | None = Field(None, description="The index problem this one recurs")
    withdrawn: bool = Field(False, description="Recorded in error: count it nowhere")


AvailabilityChangedEvent = define_event("medical.availability.changed", AvailabilityChanged)
HealthProblemRecordedEvent = define_event("medical.health_problem.recorded", HealthProblemRecorded)
