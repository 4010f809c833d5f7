from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, ClassVar, Literal

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from operational.kit.errors import InvalidValue
from operational.kit.pagination import Page
from operational.kit.schemas import Moment, PatchModel, SingleLine, WriteModel

EventKind = Literal["practice", "game", "training_session", "meeting", "medical_appointment", "other"]
Visibility = Literal["org", "team", "staff", "private"]


class ScheduleConflict(BaseModel):
    """A conflict explained for a person: ``kind`` for programs, ``message`` for people.

    Each id means one thing: ``booking_id`` the booking that holds a resource (resource_booked), ``other_event_id``
    the other event (team_double_booked, player_double_booked; only when you may read that event), ``player_id`` the
    player concerned (player_double_booked, player_unavailable).
    """

    kind: Literal["resource_booked", "team_double_booked", "player_double_booked", "player_unavailable"]
    severity: Literal["hard", "soft"]
    message: str
    starts_at: datetime
    ends_at: datetime
    booking_id: uuid.UUID | None = Field(None, description="The booking holding the resource")
    other_event_id: uuid.UUID | None = Field(None, description="The other event, when you may read it")
    player_id: uuid.UUID | None = Field(None, description="The player concerned")


class EventCreate(WriteModel):
    kind: EventKind
    title: SingleLine = Field(min_length=1, max_length=200)
    team_id: uuid.UUID | None = Field(None, description="A team event; omit for a group of players or one person")
    player_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    resource_id: uuid.UUID | None = Field(None, description="Books this resource for every occurrence")
    location: SingleLine | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=4000)
    visibility: Visibility = Field("team", description="org and staff: coaches and club admins only")
    starts_at: Moment = Field(description="First start, with offset, e.g. 2026-03-03T17:00:00+01:00")
    duration_minutes: int = Field(ge=1, le=1440)
    planned_rpe: int | None = Field(
        None, ge=0, le=10, description="The intended RPE (CR-10): with duration_minutes, the planned load"
    )
    time_zone: str | None = Field(
        None, max_length=64, description="IANA zone the series repeats in; defaults to the club's"
    )
    rrule: str | None = Field(
        None,
        max_length=500,
        description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10: DAILY to YEARLY, at most 1000 occurrences "
        "within 2 years of the first start; without COUNT or UNTIL the series ends 2 years after its first start",
    )
    rsvp_deadline_minutes: int | None = Field(None, ge=0, le=60 * 24 * 30, description="Answers close this early")
    override_reason: str | None = Field(
        None, min_length=3, max_length=500, description="Club admins: book over another booking, with this reason"
    )

    @model_validator(mode="after")
    def _someone_attends(self) -> EventCreate:
        if self.team_id is None and not self.player_ids:
            raise ValueError("give a team_id or player_ids: who is the event for?")
        return self


class EventUpdate(PatchModel):
    """Fields left out are kept; location, notes and rrule may be cleared with null."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset({"location", "notes", "rrule", "planned_rpe"})

    kind: EventKind | None = None
    title: SingleLine | None = Field(None, min_length=1, max_length=200)
    location: SingleLine | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=4000)
    visibility: Visibility | None = None
    starts_at: Moment | None = None
    duration_minutes: int | None = Field(None, ge=1, le=1440)
    planned_rpe: int | None = Field(None, ge=0, le=10)
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
    planned_rpe: int | None = Field(None, description="The intended RPE (CR-10), when given")
    rrule: str | None = Field(description="As stored: UNTIL in UTC, an open-ended rule ends 2 years after its start")
    rsvp_deadline_minutes: int | None
    split_from_id: uuid.UUID | None
    cancelled: bool
    created_by: uuid.UUID
    training_session_id: uuid.UUID | None = Field(None, description="Kept from a planned training session")


EventPage = Page[EventRead]


class EventWritten(BaseModel):
    event: EventRead
    warnings: list[ScheduleConflict] = Field(
        default_factory=list, description="Soft conflicts: the event was saved anyway"
    )


class EventCheck(BaseModel):
    """A dry run of creating an event: nothing was saved."""

    occurrences: int = Field(description="How many occurrences the event would have")
    conflicts: list[ScheduleConflict] = Field(
        description="Hard conflicts (the resource is booked: creating would be refused unless a club admin "
        "overrides) and soft ones (creating would warn)"
    )


class OccurrenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series_id: uuid.UUID
    occurrence_start: datetime
    starts_at: datetime
    ends_at: datetime
    title: str
    location: str | None = Field(description="The event's own location, or the booked resource's name")
    notes: str | None
    cancelled: bool
    modified: bool
    kind: str
    team_id: uuid.UUID | None


OccurrencePage = Page[OccurrenceRead]


class Window(BaseModel):
    starts: datetime | None
    ends: datetime | None


def _window(
    window_from: Annotated[Moment | None, Query(alias="from", description="From this time, with offset")] = None,
    window_to: Annotated[Moment | None, Query(alias="to", description="Until this time, with offset")] = None,
) -> Window:
    if window_from is not None and window_to is not None and window_to <= window_from:
        raise InvalidValue("'to' must be after 'from'.", field="to")
    return Window(starts=window_from, ends=window_to)


WindowDep = Annotated[Window, Depends(_window)]
