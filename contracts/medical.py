"""Medical domain events. Only availability travels: clinical detail stays in the medical service."""

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


class AvailabilityChanged(Payload):
    """A player's availability for training and games, as medical staff set it (no diagnosis, no clinical notes)."""

    player_id: uuid.UUID
    status: AvailabilityStatus
    restrictions: list[Restriction] = Field(default_factory=list)
    effective_from: date
    expected_until: date | None = Field(None, description="Expected return date, when known")
    note_for_staff: str | None = Field(None, max_length=200, description="Non-clinical guidance for coaches")


AvailabilityChangedEvent = define_event("medical.availability.changed", AvailabilityChanged)
