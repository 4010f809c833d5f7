from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from operational.kit.pagination import Page

EventKind = Literal["practice", "game", "training_session", "meeting", "medical_appointment", "other"]
Visibility = Literal["org", "team", "staff", "private"]


class ScheduleConflict(BaseModel):
    """A conflict explained for a person: ``kind`` for programs, ``message`` for people."""

    kind: Literal["resource_booked", "team_double_booked", "player_double_booked", "player_unavailable"]
    severity: Literal["hard", "soft"]
    message: str
    starts_at: datetime
    ends_at: datetime
    other_id: uuid.UUID | None = Field(None, description="The booking, event or player the conflict is with")


class EventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EventKind
    title: str = Field(min_length=1, max_length=200)
    team_id: uuid.UUID | None = Field(None, description="A team event; omit for a group of players or one person")
    player_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    resource_id: uuid.UUID | None = Field(None, description="Books this resource for every occurrence")
    location: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=4000)
    visibility: Visibility = "team"
    starts_at: AwareDatetime = Field(description="First start, with offset, e.g. 2026-03-03T17:00:00+01:00")
    duration_minutes: int = Field(ge=1, le=1440)
    time_zone: str | None = Field(None, description="IANA zone the series repeats in; defaults to the club's")
    rrule: str | None = Field(None, max_length=500, description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10")
    rsvp_deadline_minutes: int | None = Field(None, ge=0, le=60 * 24 * 30, description="Answers close this early")
    override_reason: str | None = Field(
        None, min_length=3, max_length=500, description="Club admins: book over another booking, with this reason"
    )

    @model_validator(mode="after")
    def _someone_attends(self) -> EventCreate:
        if self.team_id is None and not self.player_ids:
            raise ValueError("give a team_id or player_ids: who is the event for?")
        return self


class EventUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EventKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    location: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=4000)
    visibility: Visibility | None = None
    starts_at: AwareDatetime | None = None
    duration_minutes: int | None = Field(None, ge=1, le=1440)
    rrule: str | None = Field(None, max_length=500)
    player_ids: list[uuid.UUID] | None = Field(None, max_length=200)


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    title: str
    team_id: uuid.UUID | None
    player_ids: list[uuid.UUID]
    resource_id: uuid.UUID | None
    location: str | None
    notes: str | None
    visibility: str
    time_zone: str
    starts_local: datetime = Field(description="First start, wall-clock time in time_zone")
    duration_minutes: int
    rrule: str | None
    rsvp_deadline_minutes: int | None
    split_from_id: uuid.UUID | None
    cancelled: bool


class EventWritten(BaseModel):
    event: EventRead
    warnings: list[ScheduleConflict] = Field(
        default_factory=list, description="Soft conflicts: the event was saved anyway"
    )


class OccurrenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series_id: uuid.UUID
    occurrence_start: datetime
    starts_at: datetime
    ends_at: datetime
    title: str
    location: str | None
    notes: str | None
    cancelled: bool
    modified: bool
    kind: str
    team_id: uuid.UUID | None


OccurrencePage = Page[OccurrenceRead]


class ResourceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    kind: Literal["rink", "gym", "room", "bus", "field", "other"]
    capacity: int | None = Field(None, ge=1, le=100_000)
    time_zone: str | None = None
    opens_at: time | None = Field(None, description="Local opening time; bookings must fit between the two")
    closes_at: time | None = None


class ResourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: str
    capacity: int | None
    time_zone: str
    opens_at: time | None
    closes_at: time | None


ResourcePage = Page[ResourceRead]


class BookingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource_id: uuid.UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    team_id: uuid.UUID | None = None
    purpose: str | None = Field(None, max_length=200)
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


class RsvpWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    response: Literal["going", "not_going", "maybe"]
    reason: str | None = Field(None, max_length=500)
    player_id: uuid.UUID | None = Field(None, description="Defaults to you; a parent answers for their minor")


class RsvpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series_id: uuid.UUID
    occurrence_start: datetime
    player_id: uuid.UUID
    response: str
    reason: str | None
    answered_by: uuid.UUID
    answered_at: datetime


class AttendanceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    player_id: uuid.UUID
    status: Literal["present", "absent", "late", "excused"]
    reason: str | None = Field(None, max_length=500)


class AttendanceWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[AttendanceEntry] = Field(min_length=1, max_length=200)


class AttendanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series_id: uuid.UUID
    occurrence_start: datetime
    player_id: uuid.UUID
    status: str
    reason: str | None
    recorded_by: uuid.UUID
    recorded_at: datetime


class FeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team_id: uuid.UUID | None = Field(None, description="A team's feed; omit for your own calendar")


class FeedRead(BaseModel):
    id: uuid.UUID
    team_id: uuid.UUID | None
    url: str = Field(description="Secret URL for calendar apps; shown once, revoke it to stop the feed")
