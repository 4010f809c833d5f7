"""Resources and their bookings: pending → confirmed → in_progress → completed | cancelled | no_show, a waitlist
when the slot is taken.

Double-booking is made impossible by the exclusion constraint on (resource, time range), not by checking first:
twenty requests racing for one slot leave exactly one holding it. The check before inserting only makes the
explanation friendlier; the constraint is the guarantee.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import conflicts, events, policies, recurrence, repository
from operational.calendar.config import CalendarSettings
from operational.calendar.models import ACTIVE_BOOKING_STATES, Booking, Resource, outbox
from operational.calendar.schemas import BookingCreate, ResourceCreate, ScheduleConflict
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, HubError

EXCLUSION_VIOLATION = "23P01"
# action → (states it may start from, state it leads to)
TRANSITIONS = {
    "confirm": ({"pending"}, "confirmed"),
    "start": ({"confirmed"}, "in_progress"),
    "complete": ({"in_progress"}, "completed"),
    "no_show": ({"confirmed"}, "no_show"),
    "cancel": ({"pending", "confirmed", "waitlisted"}, "cancelled"),
}


async def create_resource(
    session: AsyncSession, principal: Principal, body: ResourceCreate, settings: CalendarSettings
) -> Resource:
    policies.ensure_can_manage_resources(principal)
    zone_name = body.time_zone or settings.default_time_zone
    try:
        recurrence.zone(zone_name)
    except recurrence.RecurrenceError as exc:
        raise HubError(str(exc), field="time_zone") from exc
    if (body.opens_at is None) != (body.closes_at is None) or (body.opens_at and body.opens_at >= body.closes_at):
        raise HubError("Give both opens_at and closes_at, opening before closing.", field="opens_at")
    resource = Resource(
        id=uuid.uuid4(), org_id=principal.org_id, time_zone=zone_name, **body.model_dump(exclude={"time_zone"})
    )
    return await repository.add(session, resource)


def _ensure_open(resource: Resource, starts_at: datetime, ends_at: datetime) -> None:
    if resource.opens_at is None:
        return
    start, end = recurrence.to_local(starts_at, resource.time_zone), recurrence.to_local(ends_at, resource.time_zone)
    if start.date() != end.date() or start.time() < resource.opens_at or end.time() > resource.closes_at:
        raise HubError(
            f"{resource.name} is open from {resource.opens_at:%H:%M} to {resource.closes_at:%H:%M} "
            f"({resource.time_zone}); book within those hours.",
            field="starts_at",
        )


async def _explain(session, resource, starts_at, ends_at, zone_name, exclude_series=None) -> list[ScheduleConflict]:
    taken = await repository.overlapping_bookings(session, resource.id, starts_at, ends_at)
    taken = [b for b in taken if exclude_series is None or b.series_id != exclude_series]
    return await conflicts.describe_bookings(session, resource, taken, zone_name)


def _refuse(found: list[ScheduleConflict]) -> Conflict:
    message = found[0].message if found else "The resource is already booked for that time."
    hint = " A club admin can book over it with an override_reason, or join the waitlist."
    return Conflict(message + hint, field="resource_id", details=[w.model_dump(mode="json") for w in found])


async def hold_slot(
    session: AsyncSession,
    principal: Principal,
    resource: Resource,
    booking: Booking,
    *,
    zone_name: str,
    override_reason: str | None,
    join_waitlist: bool = False,
) -> list[ScheduleConflict]:
    """Insert ``booking``; on a taken slot: record a club admin's override, wait in line, or refuse with 409."""
    if override_reason is not None and not policies.is_admin(principal):
        raise Forbidden("Only club admins can book over another booking.", field="override_reason")
    found = await _explain(session, resource, booking.starts_at, booking.ends_at, zone_name, booking.series_id)
    if found and override_reason is not None:
        booking.override_reason, booking.overridden_by = override_reason, principal.user_id
        await repository.insert_booking(session, booking)
        return found
    if not found:
        try:
            await repository.insert_booking(session, booking)
            return []
        except IntegrityError as exc:
            if getattr(exc.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
                raise
            # someone else took the slot between our look and our insert; the constraint said no
            if booking in session:
                session.expunge(booking)
            found = await _explain(session, resource, booking.starts_at, booking.ends_at, zone_name)
    if join_waitlist:
        booking.status = "waitlisted"
        await repository.insert_booking(session, booking)
        return found
    raise _refuse(found)


async def create_booking(session: AsyncSession, principal: Principal, body: BookingCreate) -> tuple[Booking, list]:
    policies.ensure_can_book(principal, body.team_id)
    resource = policies.load_resource(principal, await repository.get_resource(session, body.resource_id))
    _ensure_open(resource, body.starts_at, body.ends_at)
    booking = Booking(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        resource_id=resource.id,
        resource_key=resource.resource_key,
        team_id=body.team_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        # club admins run the resources: their bookings are confirmed at once, others wait for them
        status="confirmed" if policies.is_admin(principal) else "pending",
        purpose=body.purpose,
        requested_by=principal.user_id,
    )
    warnings = await hold_slot(
        session,
        principal,
        resource,
        booking,
        zone_name=resource.time_zone,
        override_reason=body.override_reason,
        join_waitlist=body.join_waitlist,
    )
    await outbox.record(session, events.booking_changed(booking, "requested", principal))
    if booking.status == "confirmed":
        await outbox.record(session, events.booking_changed(booking, "confirmed", principal))
    return booking, warnings


async def transition(session: AsyncSession, principal: Principal, booking_id: uuid.UUID, action: str) -> Booking:
    booking = policies.load_booking(principal, await repository.get_booking(session, booking_id, lock=True))
    if action == "confirm" and not policies.is_admin(principal):
        raise Forbidden("Only club admins confirm bookings.")
    sources, target = TRANSITIONS[action]
    if booking.status not in sources:
        allowed = " or ".join(sorted(s.replace("_", " ") for s in sources))
        raise Conflict(
            f"A {booking.status.replace('_', ' ')} booking cannot be {target.replace('_', ' ')}; "
            f"it must be {allowed} first.",
            field="status",
        )
    was_holding = booking.status in ACTIVE_BOOKING_STATES
    booking.status = target
    await session.flush()
    if target != "in_progress":  # starting is not an event of its own: completed or no_show follows
        await outbox.record(session, events.booking_changed(booking, target, principal))
    if was_holding and target not in ACTIVE_BOOKING_STATES:
        await promote_waitlist(session, booking)
    return booking


async def promote_waitlist(session: AsyncSession, freed: Booking) -> None:
    """The first in line whose slot is now free becomes pending (it still needs a club admin's confirmation)."""
    for waiting in await repository.waitlisted_for(session, freed.resource_id, freed.starts_at, freed.ends_at):
        try:
            async with session.begin_nested():
                waiting.status = "pending"
                await session.flush()
        except IntegrityError as exc:
            if getattr(exc.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
                raise
            await session.refresh(waiting)
            continue
        await outbox.record(session, events.booking_changed(waiting, "requested", None))


async def cancel_series_bookings(
    session: AsyncSession, principal: Principal, series_id: uuid.UUID, *, since: datetime | None = None, only=None
) -> None:
    for booking in await repository.bookings_of_series(session, series_id, since):
        if only is not None and booking.occurrence_start != only:
            continue
        booking.status = "cancelled"
        await session.flush()
        await outbox.record(session, events.booking_changed(booking, "cancelled", principal))
        await promote_waitlist(session, booking)


async def book_occurrences(
    session: AsyncSession, principal: Principal, series, occurrences, override_reason: str | None
) -> list[ScheduleConflict]:
    """Book the series' resource for each occurrence; one taken slot refuses the whole change (409)."""
    resource = policies.load_resource(principal, await repository.get_resource(session, series.resource_id))
    warnings: list[ScheduleConflict] = []
    for occurrence in occurrences:
        if occurrence.cancelled:
            continue
        booking = Booking(
            id=uuid.uuid4(),
            org_id=series.org_id,
            resource_id=resource.id,
            resource_key=resource.resource_key,
            team_id=series.team_id,
            series_id=series.id,
            occurrence_start=occurrence.occurrence_start,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            status="confirmed",
            purpose=series.title,
            requested_by=principal.user_id,
        )
        warnings += await hold_slot(
            session, principal, resource, booking, zone_name=series.time_zone, override_reason=override_reason
        )
        await outbox.record(session, events.booking_changed(booking, "confirmed", principal))
    return warnings
