"""Events the calendar service emits."""

from __future__ import annotations

from datetime import date, datetime

from contracts import calendar as contract
from contracts.envelope import EventEnvelope
from operational.calendar import recurrence
from operational.calendar.models import Attendance, Booking, EventSeries, FeedToken, Rsvp
from operational.kit.auth import Principal
from operational.kit.events import new_event

_BOOKING_EVENTS = {
    "requested": contract.BookingRequestedEvent,
    "confirmed": contract.BookingConfirmedEvent,
    "cancelled": contract.BookingCancelledEvent,
    "completed": contract.BookingCompletedEvent,
    "no_show": contract.BookingNoShowEvent,
}


def _scheduled_fields(series: EventSeries) -> dict:
    return {
        "series_id": series.id,
        "kind": series.kind,
        "title": series.title,
        "team_id": series.team_id,
        "player_ids": list(series.player_ids or ()),
        "resource_id": series.resource_id,
        "starts_at": recurrence.to_utc(series.starts_local, series.time_zone),
        "duration_minutes": series.duration_minutes,
        "planned_rpe": series.planned_rpe,
        "time_zone": series.time_zone,
        "rrule": series.rrule,
    }


def event_created(series: EventSeries, actor: Principal) -> EventEnvelope:
    data = contract.EventScheduled(**_scheduled_fields(series))
    return new_event(contract.EventCreatedEvent, org_id=series.org_id, subject_id=series.id, actor=actor, data=data)


def event_updated(
    series: EventSeries, actor: Principal, scope: str, occurrence_start: datetime | None, changed: list[str]
) -> EventEnvelope:
    data = contract.EventUpdated(
        **_scheduled_fields(series), scope=scope, occurrence_start=occurrence_start, changed_fields=changed
    )
    return new_event(contract.EventUpdatedEvent, org_id=series.org_id, subject_id=series.id, actor=actor, data=data)


def event_cancelled(
    series: EventSeries, actor: Principal, scope: str, occurrence_start: datetime | None
) -> EventEnvelope:
    data = contract.EventCancelled(
        series_id=series.id, scope=scope, occurrence_start=occurrence_start, team_id=series.team_id
    )
    return new_event(contract.EventCancelledEvent, org_id=series.org_id, subject_id=series.id, actor=actor, data=data)


def rsvp_recorded(rsvp: Rsvp, series: EventSeries, actor: Principal) -> EventEnvelope:
    data = contract.RsvpRecorded(
        series_id=series.id,
        occurrence_start=rsvp.occurrence_start,
        player_id=rsvp.player_id,
        response=rsvp.response,
        reason=rsvp.reason,
        answered_by=rsvp.answered_by,
        team_id=series.team_id,
        event_kind=series.kind,
    )
    return new_event(contract.RsvpRecordedEvent, org_id=series.org_id, subject_id=rsvp.id, actor=actor, data=data)


def attendance_recorded(record: Attendance, series: EventSeries, actor: Principal) -> EventEnvelope:
    data = contract.AttendanceRecorded(
        series_id=series.id,
        occurrence_start=record.occurrence_start,
        player_id=record.player_id,
        status=record.status,
        reason=record.reason,
        team_id=series.team_id,
        event_kind=series.kind,
    )
    return new_event(
        contract.AttendanceRecordedEvent, org_id=series.org_id, subject_id=record.id, actor=actor, data=data
    )


def booking_changed(booking: Booking, what: str, actor: Principal | None) -> EventEnvelope:
    data = contract.BookingChanged(
        booking_id=booking.id,
        resource_id=booking.resource_id,
        team_id=booking.team_id,
        series_id=booking.series_id,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        status=booking.status,
        override_reason=booking.override_reason,
    )
    return new_event(_BOOKING_EVENTS[what], org_id=booking.org_id, subject_id=booking.id, actor=actor, data=data)


def feed_fetched(feed: FeedToken, day: date) -> EventEnvelope:
    """The owner's use of their feed: the owner is the actor, as if they had opened the calendar themselves."""
    data = contract.FeedFetched(feed_id=feed.id, day=day)
    return new_event(contract.FeedFetchedEvent, org_id=feed.org_id, subject_id=feed.id, actor=feed.owner_id, data=data)
