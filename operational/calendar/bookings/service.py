"""Resources and their bookings: pending → confirmed → in_progress → completed | cancelled | no_show, a waitlist
when the slot is taken.

Double-booking is made impossible by the exclusion constraint on (resource, time range), not by checking first:
twenty requests racing for one slot leave exactly one holding it. The check before inserting only makes the
explanation friendlier; the constraint is the guarantee.

A booking made directly and the bookings an event makes for its occurrences go through the same :func:`hold_slots`,
so opening hours, conflicts and overrides follow one rule.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar import conflicts, events, loaders, policies, recurrence
from operational.calendar.bookings import repository
from operational.calendar.bookings.schemas import BookingCreate, ResourceCreate
from operational.calendar.config import CalendarSettings
from operational.calendar.models import ACTIVE_BOOKING_STATES, Booking, Resource, outbox
from operational.calendar.schemas import ScheduleConflict
from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue
from operational.kit.pagination import PageParams

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
        raise InvalidValue(str(exc), field="time_zone") from exc
    if (body.opens_at is None) != (body.closes_at is None) or (body.opens_at and body.opens_at >= body.closes_at):
        raise InvalidValue("Give both opens_at and closes_at, opening before closing.", field="opens_at")
    resource = Resource(
        id=uuid.uuid4(), org_id=principal.org_id, time_zone=zone_name, **body.model_dump(exclude={"time_zone"})
    )
    session.add(resource)
    await session.flush()
    return resource


async def list_resources(
    session: AsyncSession, principal: Principal, kind: str | None, page: PageParams
) -> tuple[list[Resource], int]:
    return await repository.list_resources(session, principal.org_id, kind=kind, page=page)


async def list_bookings(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    window_from: datetime | None,
    window_to: datetime | None,
    resource_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
) -> tuple[list[Booking], int]:
    """The bookings ``principal`` may read; a resource or team they may not see is refused as the loaders do."""
    if resource_id is not None:
        await loaders.resource.load(session, principal, resource_id, field="resource_id")
    if team_id is not None:
        await loaders.followed_team.load(session, principal, team_id, field="team_id")
    return await repository.list_bookings(
        session,
        principal.org_id,
        scope=policies.booking_scope(principal),
        resource_id=resource_id,
        team_id=team_id,
        window_from=window_from,
        window_to=window_to,
        page=page,
    )


def ensure_open(resource: Resource, starts_at: datetime, ends_at: datetime) -> None:
    """The resource's opening hours, for a booking and for every occurrence of an event on the resource."""
    if resource.opens_at is None:
        return
    start, end = recurrence.to_local(starts_at, resource.time_zone), recurrence.to_local(ends_at, resource.time_zone)
    if start.date() != end.date() or start.time() < resource.opens_at or end.time() > resource.closes_at:
        raise InvalidValue(
            f"{resource.name} is open from {resource.opens_at:%H:%M} to {resource.closes_at:%H:%M} "
            f"({resource.time_zone}); {start:%H:%M}–{end:%H:%M} on {start:%a} {start.day} {start:%b %Y} is outside "
            "those hours: book within them.",
            field="starts_at",
        )


async def _explain(session, principal, resource, bookings: Sequence[Booking], zone_name: str):
    """Per booking, the conflicts that hold its slot (explained for the caller)."""
    series_id = bookings[0].series_id if bookings else None
    found = await repository.clashes(
        session, resource.id, [(b.starts_at, b.ends_at) for b in bookings], exclude_series=series_id
    )
    by_slot: dict[int, list[Booking]] = {}
    for slot, taken in found:
        by_slot.setdefault(slot, []).append(taken)
    holders = list({b.id: b for _, b in found}.values())
    explained = await conflicts.describe_bookings(session, principal, resource, holders, zone_name)
    message_of = dict(zip((b.id for b in holders), explained, strict=True))
    return {slot: [message_of[b.id] for b in taken] for slot, taken in by_slot.items()}


def _refuse(found: list[ScheduleConflict]) -> Conflict:
    message = found[0].message if found else "The resource is already booked for that time."
    hint = " A club admin can book over it with an override_reason, or join the waitlist."
    return Conflict(message + hint, field="resource_id", details=[w.model_dump(mode="json") for w in found[:50]])


def _flat(by_slot: dict[int, list[ScheduleConflict]]) -> list[ScheduleConflict]:
    seen, result = set(), []
    for slot in sorted(by_slot):
        for conflict in by_slot[slot]:
            if conflict.booking_id not in seen:
                seen.add(conflict.booking_id)
                result.append(conflict)
    return result


async def check_slots(
    session: AsyncSession, principal: Principal, resource: Resource, bookings: Sequence[Booking], zone_name: str
) -> list[ScheduleConflict]:
    """What holding ``bookings`` would run into, without holding them (opening hours still refuse with 422)."""
    for booking in bookings:
        ensure_open(resource, booking.starts_at, booking.ends_at)
    return _flat(await _explain(session, principal, resource, bookings, zone_name))


async def hold_slots(
    session: AsyncSession,
    principal: Principal,
    resource: Resource,
    bookings: Sequence[Booking],
    *,
    zone_name: str,
    override_reason: str | None,
    join_waitlist: bool = False,
) -> list[ScheduleConflict]:
    """Insert ``bookings``; where a slot is taken: record a club admin's override on that booking, wait in line, or
    refuse the whole change with 409."""
    if override_reason is not None:
        policies.ensure_can_override(principal)
    for booking in bookings:
        ensure_open(resource, booking.starts_at, booking.ends_at)
    by_slot = await _explain(session, principal, resource, bookings, zone_name)
    if by_slot and override_reason is not None:
        for slot in by_slot:
            bookings[slot].override_reason, bookings[slot].overridden_by = override_reason, principal.user_id
    if not by_slot or override_reason is not None:
        try:
            await repository.insert_bookings(session, bookings)
            return _flat(by_slot)
        except IntegrityError as exc:
            if getattr(exc.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
                raise
            # someone else took a slot between our look and our insert; the constraint said no
            for booking in bookings:
                if booking in session:
                    session.expunge(booking)
            by_slot = await _explain(session, principal, resource, bookings, zone_name)
    if join_waitlist and len(bookings) == 1:
        bookings[0].status = "waitlisted"
        await repository.insert_bookings(session, bookings)
        return _flat(by_slot)
    raise _refuse(_flat(by_slot))


async def create_booking(session: AsyncSession, principal: Principal, body: BookingCreate) -> tuple[Booking, list]:
    policies.ensure_can_book(principal)
    resource = await loaders.bookable_resource.load(session, principal, body.resource_id, field="resource_id")
    if body.team_id is not None:
        await loaders.bookable_team.load(session, principal, body.team_id, field="team_id")
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
    warnings = await hold_slots(
        session,
        principal,
        resource,
        [booking],
        zone_name=resource.time_zone,
        override_reason=body.override_reason,
        join_waitlist=body.join_waitlist,
    )
    await outbox.record(session, events.booking_changed(booking, "requested", principal))
    if booking.status == "confirmed":
        await outbox.record(session, events.booking_changed(booking, "confirmed", principal))
    return booking, warnings


async def transition(session: AsyncSession, principal: Principal, booking: Booking, action: str) -> Booking:
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


async def _occurrence_bookings(principal: Principal, series, resource: Resource, occurrences) -> list[Booking]:
    """A booking per live occurrence, made a chunk at a time so a two-year daily series never holds the event loop
    for long."""
    live = [o for o in occurrences if not o.cancelled]
    bookings: list[Booking] = []
    for start in range(0, len(live), repository.INSERT_CHUNK):
        bookings += [
            Booking(
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
            for occurrence in live[start : start + repository.INSERT_CHUNK]
        ]
        await asyncio.sleep(0)
    return bookings


async def book_occurrences(
    session: AsyncSession, principal: Principal, series, occurrences, override_reason: str | None
) -> list[ScheduleConflict]:
    """Book the series' resource for each occurrence; one taken slot refuses the whole change (409)."""
    resource = await loaders.bookable_resource.load(session, principal, series.resource_id, field="resource_id")
    bookings = await _occurrence_bookings(principal, series, resource, occurrences)
    warnings = await hold_slots(
        session, principal, resource, bookings, zone_name=series.time_zone, override_reason=override_reason
    )
    for booking in bookings:
        await outbox.record(session, events.booking_changed(booking, "confirmed", principal))
    return warnings


async def check_occurrences(session: AsyncSession, principal: Principal, series, occurrences) -> list[ScheduleConflict]:
    """What booking the series' resource for each occurrence would run into (a dry run)."""
    resource = await loaders.bookable_resource.load(session, principal, series.resource_id, field="resource_id")
    bookings = await _occurrence_bookings(principal, series, resource, occurrences)
    return await check_slots(session, principal, resource, bookings, series.time_zone)
