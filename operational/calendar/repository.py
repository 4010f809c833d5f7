"""All SQL of the calendar service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar.models import (
    ACTIVE_BOOKING_STATES,
    Attendance,
    Booking,
    EventSeries,
    FeedToken,
    OccurrenceException,
    PersonName,
    PlayerAvailability,
    ProcessedEvent,
    Resource,
    RosterEntry,
    Rsvp,
    TeamName,
)
from operational.calendar.policies import ListScope


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


async def get_series(session: AsyncSession, series_id: uuid.UUID) -> EventSeries | None:
    return await session.get(EventSeries, series_id)


async def lock_series(session: AsyncSession, series_id: uuid.UUID) -> EventSeries | None:
    return await session.scalar(select(EventSeries).where(EventSeries.id == series_id).with_for_update())


def _scope_clause(scope: ListScope):
    if scope.everything:
        return None
    return or_(
        EventSeries.visibility == "org",
        EventSeries.created_by == scope.creator_id,
        and_(EventSeries.team_id.in_(scope.staff_team_ids)) if scope.staff_team_ids else false(),
        and_(EventSeries.team_id.in_(scope.team_ids), EventSeries.visibility == "team") if scope.team_ids else false(),
        and_(EventSeries.player_ids.overlap(list(scope.player_ids)), EventSeries.visibility != "staff"),
    )


async def series_in_window(
    session: AsyncSession,
    org_id: uuid.UUID,
    window_from: datetime,
    window_to: datetime,
    *,
    scope: ListScope | None = None,
    team_ids: Iterable[uuid.UUID] | None = None,
    player_id: uuid.UUID | None = None,
    kind: str | None = None,
    exclude_id: uuid.UUID | None = None,
) -> list[EventSeries]:
    query = select(EventSeries).where(
        EventSeries.org_id == org_id,
        EventSeries.cancelled.is_(False),
        EventSeries.first_starts_at < window_to,
        EventSeries.last_ends_at > window_from,
    )
    if scope is not None and (clause := _scope_clause(scope)) is not None:
        query = query.where(clause)
    if team_ids is not None or player_id is not None:
        teams = list(team_ids or ())
        query = query.where(
            or_(
                EventSeries.team_id.in_(teams) if teams else false(),
                EventSeries.player_ids.any(player_id) if player_id else false(),
            )
        )
    if kind is not None:
        query = query.where(EventSeries.kind == kind)
    if exclude_id is not None:
        query = query.where(EventSeries.id != exclude_id)
    return list(await session.scalars(query.order_by(EventSeries.first_starts_at)))


async def exceptions_of(session: AsyncSession, series_ids: list[uuid.UUID]) -> dict[uuid.UUID, list]:
    found: dict[uuid.UUID, list] = {sid: [] for sid in series_ids}
    if not series_ids:
        return found
    rows = await session.scalars(select(OccurrenceException).where(OccurrenceException.series_id.in_(series_ids)))
    for row in rows:
        found[row.series_id].append(row)
    return found


async def get_exception(
    session: AsyncSession, series_id: uuid.UUID, occurrence_start: datetime
) -> OccurrenceException | None:
    return await session.scalar(
        select(OccurrenceException).where(
            OccurrenceException.series_id == series_id, OccurrenceException.occurrence_start == occurrence_start
        )
    )


async def move_from_occurrence(
    session: AsyncSession, old_id: uuid.UUID, new_id: uuid.UUID, occurrence_start: datetime
) -> None:
    """ "This and following": exceptions, answers and attendance from the split on belong to the new series."""
    for model in (OccurrenceException, Rsvp, Attendance):
        await session.execute(
            update(model)
            .where(model.series_id == old_id, model.occurrence_start >= occurrence_start)
            .values(series_id=new_id)
        )


# --- people and teams (read models) -------------------------------------------------------------------------------


async def team_players(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.user_id).where(
            RosterEntry.org_id == org_id, RosterEntry.team_id == team_id, RosterEntry.role == "player"
        )
    )
    return set(rows)


async def teams_of(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.user_id == user_id)
    )
    return set(rows)


async def team_names(session: AsyncSession, team_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = [t for t in team_ids if t is not None]
    if not ids:
        return {}
    return dict((await session.execute(select(TeamName.team_id, TeamName.name).where(TeamName.team_id.in_(ids)))).all())


async def person_names(session: AsyncSession, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.execute(select(PersonName.user_id, PersonName.full_name).where(PersonName.user_id.in_(ids)))
    return dict(rows.all())


async def availability_of(
    session: AsyncSession, org_id: uuid.UUID, player_ids: Iterable[uuid.UUID]
) -> list[PlayerAvailability]:
    ids = list(player_ids)
    if not ids:
        return []
    rows = await session.scalars(
        select(PlayerAvailability).where(
            PlayerAvailability.org_id == org_id,
            PlayerAvailability.player_id.in_(ids),
            PlayerAvailability.status != "available",
        )
    )
    return list(rows)


async def mark_processed(session: AsyncSession, event_id: uuid.UUID) -> bool:
    """True when the event is new (and is now recorded as processed)."""
    result = await session.execute(
        insert(ProcessedEvent).values(event_id=event_id).on_conflict_do_nothing().returning(ProcessedEvent.event_id)
    )
    return result.scalar() is not None


async def upsert_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID, name: str) -> None:
    stmt = insert(TeamName).values(team_id=team_id, org_id=org_id, name=name)
    await session.execute(stmt.on_conflict_do_update(index_elements=["team_id"], set_={"name": name}))


async def upsert_person(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, full_name: str) -> None:
    stmt = insert(PersonName).values(user_id=user_id, org_id=org_id, full_name=full_name)
    await session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_={"full_name": full_name}))


async def deactivate_person(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await session.execute(update(PersonName).where(PersonName.user_id == user_id).values(active=False))
    await session.execute(delete(RosterEntry).where(RosterEntry.org_id == org_id, RosterEntry.user_id == user_id))


async def add_to_roster(session: AsyncSession, org_id: uuid.UUID, team_id, user_id, role: str) -> None:
    stmt = insert(RosterEntry).values(org_id=org_id, team_id=team_id, user_id=user_id, role=role)
    await session.execute(stmt.on_conflict_do_nothing())


async def remove_from_roster(session: AsyncSession, org_id: uuid.UUID, team_id, user_id, role: str) -> None:
    await session.execute(
        delete(RosterEntry).where(
            RosterEntry.org_id == org_id,
            RosterEntry.team_id == team_id,
            RosterEntry.user_id == user_id,
            RosterEntry.role == role,
        )
    )


async def set_availability(session: AsyncSession, row: dict) -> None:
    stmt = insert(PlayerAvailability).values(**row)
    # an older change arriving late never overwrites a newer one
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["player_id"],
            set_={k: stmt.excluded[k] for k in row if k != "player_id"},
            where=PlayerAvailability.changed_at <= stmt.excluded.changed_at,
        )
    )


# --- resources and bookings ---------------------------------------------------------------------------------------


async def get_resource(session: AsyncSession, resource_id: uuid.UUID) -> Resource | None:
    return await session.get(Resource, resource_id)


async def list_resources(session: AsyncSession, org_id: uuid.UUID, *, limit: int, offset: int):
    query = select(Resource).where(Resource.org_id == org_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Resource.name, Resource.id).limit(limit).offset(offset))
    return list(rows), total or 0


async def get_booking(session: AsyncSession, booking_id: uuid.UUID, *, lock: bool = False) -> Booking | None:
    query = select(Booking).where(Booking.id == booking_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def insert_booking(session: AsyncSession, booking: Booking) -> None:
    """Insert inside a savepoint, so an exclusion violation (another booking holds the slot) leaves the request's
    transaction usable for explaining the conflict."""
    async with session.begin_nested():
        session.add(booking)
        await session.flush()


async def overlapping_bookings(
    session: AsyncSession, resource_id: uuid.UUID, starts_at: datetime, ends_at: datetime, *, exclude_id=None
) -> list[Booking]:
    query = select(Booking).where(
        Booking.resource_id == resource_id,
        Booking.status.in_(ACTIVE_BOOKING_STATES),
        Booking.starts_at < ends_at,
        Booking.ends_at > starts_at,
    )
    if exclude_id is not None:
        query = query.where(Booking.id != exclude_id)
    return list(await session.scalars(query.order_by(Booking.starts_at)))


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
        query = query.where(Booking.starts_at >= since)
    return list(await session.scalars(query))


async def list_bookings(
    session: AsyncSession, org_id: uuid.UUID, *, resource_id, window_from, window_to, limit: int, offset: int
):
    query = select(Booking).where(Booking.org_id == org_id)
    if resource_id is not None:
        query = query.where(Booking.resource_id == resource_id)
    if window_from is not None:
        query = query.where(Booking.ends_at > window_from)
    if window_to is not None:
        query = query.where(Booking.starts_at < window_to)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Booking.starts_at, Booking.id).limit(limit).offset(offset))
    return list(rows), total or 0


# --- RSVPs, attendance, feeds --------------------------------------------------------------------------------------


async def upsert_rsvp(session: AsyncSession, values: dict) -> Rsvp:
    stmt = insert(Rsvp).values(**values)
    stmt = stmt.on_conflict_do_update(
        constraint="uq_rsvps_answer",
        set_={k: stmt.excluded[k] for k in ("response", "reason", "answered_by", "answered_at")},
    ).returning(Rsvp)
    return (await session.scalars(stmt, execution_options={"populate_existing": True})).one()


async def upsert_attendance(session: AsyncSession, values: dict) -> Attendance:
    stmt = insert(Attendance).values(**values)
    stmt = stmt.on_conflict_do_update(
        constraint="uq_attendance_record",
        set_={k: stmt.excluded[k] for k in ("status", "reason", "recorded_by", "recorded_at")},
    ).returning(Attendance)
    return (await session.scalars(stmt, execution_options={"populate_existing": True})).one()


async def answers_for(session: AsyncSession, model, series_id: uuid.UUID, occurrence_start: datetime) -> list:
    rows = await session.scalars(
        select(model)
        .where(model.series_id == series_id, model.occurrence_start == occurrence_start)
        .order_by(model.player_id)
    )
    return list(rows)


async def feed_by_hash(session: AsyncSession, token_sha256: str) -> FeedToken | None:
    return await session.scalar(
        select(FeedToken).where(FeedToken.token_sha256 == token_sha256, FeedToken.revoked_at.is_(None))
    )


async def get_feed(session: AsyncSession, feed_id: uuid.UUID) -> FeedToken | None:
    return await session.get(FeedToken, feed_id)


async def move_bookings(session: AsyncSession, old_id: uuid.UUID, new_id: uuid.UUID, occurrence_start) -> None:
    await session.execute(
        update(Booking)
        .where(Booking.series_id == old_id, Booking.occurrence_start >= occurrence_start)
        .values(series_id=new_id)
    )
