from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from operational.calendar.schemas import ScheduleConflict
from operational.kit.pagination import Page
from operational.kit.schemas import LocalTime, Moment, SingleLine, WriteModel

ResourceKind = Literal["rink", "gym", "room", "bus", "field", "other"]


class ResourceCreate(WriteModel):
    name: SingleLine = Field(min_length=1, max_length=120)
    kind: ResourceKind
    capacity: int | None = Field(None, ge=1, le=100_000)
    time_zone: str | None = Field(None, max_length=64)
    opens_at: LocalTime | None = Field(None, description="Local opening time; bookings must fit between the two")
    closes_at: LocalTime | None = None


class ResourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: str
    capacity: int | None
    time_zone: str
    opens_at: LocalTime | None
    closes_at: LocalTime | None


ResourcePage = Page[ResourceRead]


class BookingCreate(WriteModel):
    resource_id: uuid.UUID
    starts_at: Moment
    ends_at: Moment
    team_id: uuid.UUID | None = None
    purpose: SingleLine | None = Field(None, max_length=200)
    join_waitlist: bool = Field(False, description="When the slot is taken, wait for it instead of failing")
    override_reason: str | None = Field(None, min_length=3, max_length=500)

    @model_validator(mode="after")
    def _ends_after_start(self) -> BookingCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class BookingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    resource_id: uuid.UUID
    team_id: uuid.UUID | None
    series_id: uuid.UUID | None
    starts_at: datetime
    ends_at: datetime
    status: str
    purpose: str | None
    override_reason: str | None
    overridden_by: uuid.UUID | None


class BookingWritten(BaseModel):
    booking: BookingRead
    warnings: list[ScheduleConflict] = Field(default_factory=list)


BookingPage = Page[BookingRead]
BookingAction = Literal["confirm", "start", "complete", "no_show", "cancel"]
