"""SQL of resources and their bookings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import DateTime, Integer, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar.models import ACTIVE_BOOKING_STATES, Booking, Resource
from operational.calendar.policies import BookingScope
from operational.kit.pagination import PageParams, paginate

# this many new bookings at a time (one INSERT of ~400 parameters) keeps each stretch of work on the event loop short
INSERT_CHUNK = 25


async def get_resource(session: AsyncSession, resource_id: uuid.UUID) -> Resource | None:
    return await session.get(Resource, resource_id)


async def list_resources(
    session: AsyncSession, org_id: uuid.UUID, *, kind: str | None, page: PageParams
) -> tuple[list[Resource], int]:
    query = select(Resource).where(Resource.org_id == org_id)
    if kind is not None:
        query = query.where(Resource.kind == kind)
    return await paginate(session, query, page, order_by=(Resource.name, Resource.id))


async def get_booking(session: AsyncSession, booking_id: uuid.UUID) -> Booking | None:
    return await session.get(Booking, booking_id)


async def lock_booking(session: AsyncSession, booking_id: uuid.UUID) -> Booking | None:
    return await session.scalar(select(Booking).where(Booking.id == booking_id).with_for_update())


def booking_scope_clause(scope: BookingScope):
    """:meth:`BookingScope.admits` as a WHERE clause (the two must say the same; a test compares them)."""
    if scope.everything:
        return None
    clauses = [Booking.requested_by == scope.requester_id]
    if scope.staff_team_ids:
        clauses.append(Booking.team_id.in_(scope.staff_team_ids))
    return or_(*clauses)


async def list_bookings(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    scope: BookingScope,
    resource_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    window_from: datetime | None,
    window_to: datetime | None,
    page: PageParams,
) -> tuple[list[Booking], int]:
    query = select(Booking).where(Booking.org_id == org_id)
    if (clause := booking_scope_clause(scope)) is not None:
        query = query.where(clause)
    if resource_id is not None:
        query = query.where(Booking.resource_id == resource_id)
    if team_id is not None:
        query = query.where(Booking.team_id == team_id)
    if window_from is not None:
        query = query.where(Booking.ends_at > window_from)
    if window_to is not None:
        query = query.where(Booking.starts_at < window_to)
    return await paginate(session, query, page, order_by=(Booking.starts_at, Booking.id))


async def clashes(
    session: AsyncSession,
    resource_id: uuid.UUID,
    slots: Sequence[tuple[datetime, datetime]],
    *,
    exclude_series: uuid.UUID | None = None,
) -> list[tuple[int, Booking]]:
    """(slot index, booking) for every active booking of the resource that overlaps one of ``slots``: one query,
    however many slots a series has."""
    if not slots:
        return []
    times = ARRAY(DateTime(timezone=True))
    wanted = select(
        func.unnest(bindparam("starts", [s for s, _ in slots], type_=times)).label("starts_at"),
        func.unnest(bindparam("ends", [e for _, e in slots], type_=times)).label("ends_at"),
        func.unnest(bindparam("slots", list(range(len(slots))), type_=ARRAY(Integer))).label("slot"),
    ).subquery()
    query = (
        select(wanted.c.slot, Booking)
        .join(Booking, Booking.starts_at < wanted.c.ends_at)
        .where(
            Booking.resource_id == resource_id,
            Booking.status.in_(ACTIVE_BOOKING_STATES),
            Booking.ends_at > wanted.c.starts_at,
        )
        .order_by(Booking.starts_at, Booking.id)
    )
    if exclude_series is not None:
        query = query.where(or_(Booking.series_id.is_(None), Booking.series_id != exclude_series))
    return [(slot, booking) for slot, booking in (await session.execute(query)).all()]


async def insert_bookings(session: AsyncSession, bookings: Sequence[Booking]) -> None:
    """Insert inside a savepoint, so an exclusion violation (another booking holds a slot) leaves the request's
    transaction usable for explaining the conflict."""
    async with session.begin_nested():
        for start in range(0, len(bookings), INSERT_CHUNK):
            session.add_all(bookings[start : start + INSERT_CHUNK])
            await session.flush()


async def waitlisted_for(session: AsyncSession, resource_id: uuid.UUID, starts_at, ends_at) -> list[Booking]:
    rows = await session.scalars(
        select(Booking)
        .where(
            Booking.resource_id == resource_id,
            Booking.status == "waitlisted",
            Booking.starts_at < ends_at,
            Booking.ends_at > starts_at,
        )
        .order_by(Booking.requested_at, Booking.id)
        .with_for_update()
    )
    return list(rows)


async def bookings_of_series(session: AsyncSession, series_id: uuid.UUID, since: datetime | None = None):
    query = select(Booking).where(Booking.series_id == series_id, Booking.status.in_(ACTIVE_BOOKING_STATES))
    if since is not None:
        query = query.where(Booking.occurrence_start >= since)
    return list(await session.scalars(query.order_by(Booking.starts_at)))
