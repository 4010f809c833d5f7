"""Calendar domain events: events (one-off or recurring), RSVPs, attendance and resource bookings.

An occurrence of a recurring event is named by its original start (``occurrence_start``, UTC), like iCalendar's
RECURRENCE-ID; it stays the same when that one occurrence is moved.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import Payload, define_event

EventKind = Literal["practice", "game", "training_session", "meeting", "medical_appointment", "other"]
ChangeScope = Literal["this", "following", "all"]


class EventScheduled(Payload):
    series_id: uuid.UUID
    kind: EventKind
    title: str
    team_id: uuid.UUID | None = None
    player_ids: list[uuid.UUID] = Field(default_factory=list)
    resource_id: uuid.UUID | None = None
    starts_at: AwareDatetime = Field(description="Start of the first occurrence")
    duration_minutes: int
    time_zone: str = Field(description="IANA zone the series repeats in (local start time kept across DST)")
    planned_rpe: int | None = Field(
        None,
        ge=0,
        le=10,
        description="The coach's intended RPE (CR-10) of a practice or session: × duration_minutes, its planned "
        "session-RPE load (AU); absent when none was given (and in events from before it was recorded)",
    )
    rrule: str | None = Field(
        None,
        description="RFC 5545 RRULE, absent for a one-off event: DAILY to YEARLY, at most 1000 occurrences within two "
        "years of the first start, UNTIL in UTC (a rule sent without an end is stored ending two years on)",
    )


class EventUpdated(EventScheduled):
    scope: ChangeScope
    occurrence_start: AwareDatetime | None = Field(None, description="The occurrence changed (scope this/following)")
    changed_fields: list[str]


class EventCancelled(Payload):
    series_id: uuid.UUID
    scope: ChangeScope
    occurrence_start: AwareDatetime | None = None
    team_id: uuid.UUID | None = None


class RsvpRecorded(Payload):
    series_id: uuid.UUID
    occurrence_start: AwareDatetime
    player_id: uuid.UUID
    response: Literal["going", "not_going", "maybe"]
    reason: str | None = None
    answered_by: uuid.UUID = Field(description="The player, or the parent answering for a minor")
    team_id: uuid.UUID | None = None
    event_kind: EventKind


class AttendanceRecorded(Payload):
    series_id: uuid.UUID
    occurrence_start: AwareDatetime
    player_id: uuid.UUID
    status: Literal["present", "absent", "late", "excused"]
    reason: str | None = None
    team_id: uuid.UUID | None = None
    event_kind: EventKind


class BookingChanged(Payload):
    booking_id: uuid.UUID
    resource_id: uuid.UUID
    team_id: uuid.UUID | None = None
    series_id: uuid.UUID | None = None
    starts_at: datetime
    ends_at: datetime
    status: Literal["pending", "confirmed", "in_progress", "completed", "cancelled", "no_show", "waitlisted"]
    override_reason: str | None = Field(None, description="Why a club admin booked over another booking")


class FeedFetched(Payload):
    """A person's own calendar feed was fetched by a calendar app: at most one a person per day, however often it
    polls. Who is the envelope's ``actor_id`` (the feed's owner); their club is ``org_id``."""

    feed_id: uuid.UUID = Field(description="The calendar link (never its secret URL)")
    day: date = Field(description="The club's calendar day of the first fetch that day")


EventCreatedEvent = define_event("calendar.event.created", EventScheduled)
EventUpdatedEvent = define_event("calendar.event.updated", EventUpdated)
EventCancelledEvent = define_event("calendar.event.cancelled", EventCancelled)
RsvpRecordedEvent = define_event("calendar.rsvp.recorded", RsvpRecorded)
AttendanceRecordedEvent = define_event("calendar.attendance.recorded", AttendanceRecorded)
BookingRequestedEvent = define_event("calendar.booking.requested", BookingChanged)
BookingConfirmedEvent = define_event("calendar.booking.confirmed", BookingChanged)
BookingCancelledEvent = define_event("calendar.booking.cancelled", BookingChanged)
BookingCompletedEvent = define_event("calendar.booking.completed", BookingChanged)
BookingNoShowEvent = define_event("calendar.booking.no_show", BookingChanged)
FeedFetchedEvent = define_event("calendar.feed.fetched", FeedFetched)
