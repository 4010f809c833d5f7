"""SQL of the calendar's events (series, exceptions) and of its read models (teams, people, rosters, guardians,
availability). Bookings, answers and feeds keep theirs in their own sub-packages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, delete, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar.models import (
    Attendance,
    Booking,
    EventSeries,
    FeedToken,
    GuardianLink,
    OccurrenceException,
    PersonName,
    PlayerAvailability,
    Resource,
    RosterEntry,
    Rsvp,
    TeamName,
)
from operational.calendar.policies import EventScope


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


# --- events ---------------------------------------------------------------------------------------------------------


async def get_series(session: AsyncSession, series_id: uuid.UUID) -> EventSeries | None:
    return await session.get(EventSeries, series_id)


async def lock_series(session: AsyncSession, series_id: uuid.UUID) -> EventSeries | None:
    return await session.scalar(select(EventSeries).where(EventSeries.id == series_id).with_for_update())


def event_scope_clause(scope: EventScope):
    """:meth:`EventScope.admits` as a WHERE clause (the two must say the same; a test compares them)."""
    if scope.everything:
        return None
    return or_(
        EventSeries.visibility == "org",
        EventSeries.created_by == scope.creator_id,
        EventSeries.team_id.in_(scope.staff_team_ids) if scope.staff_team_ids else false(),
        and_(EventSeries.team_id.in_(scope.team_ids), EventSeries.visibility == "team") if scope.team_ids else false(),
        and_(EventSeries.player_ids.overlap(list(scope.player_ids)), EventSeries.visibility != "staff"),
    )


def _filtered(
    query: Select,
    *,
    scope: EventScope | None,
    team_ids: Iterable[uuid.UUID] | None,
    player_id: uuid.UUID | None,
    kind: str | None,
    created_by: uuid.UUID | None = None,
) -> Select:
    if scope is not None and (clause := event_scope_clause(scope)) is not None:
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
    if created_by is not None:
        query = query.where(EventSeries.created_by == created_by)
    return query


async def series_in_window(
    session: AsyncSession,
    org_id: uuid.UUID,
    window_from: datetime,
    window_to: datetime,
    *,
    scope: EventScope | None = None,
    team_ids: Iterable[uuid.UUID] | None = None,
    player_id: uuid.UUID | None = None,
    kind: str | None = None,
    exclude_id: uuid.UUID | None = None,
) -> list[EventSeries]:
    """Live series with an occurrence that may fall in the window: by the rule's span, or by a moved occurrence."""
    moved_here = select(OccurrenceException.series_id).where(
        OccurrenceException.org_id == org_id,
        OccurrenceException.starts_at < window_to,
        OccurrenceException.ends_at > window_from,
    )
    query = select(EventSeries).where(
        EventSeries.org_id == org_id,
        EventSeries.cancelled.is_(False),
        or_(
            and_(EventSeries.first_starts_at < window_to, EventSeries.last_ends_at > window_from),
            EventSeries.id.in_(moved_here),
        ),
    )
    query = _filtered(query, scope=scope, team_ids=team_ids, player_id=player_id, kind=kind)
    if exclude_id is not None:
        query = query.where(EventSeries.id != exclude_id)
    return list(await session.scalars(query.order_by(EventSeries.first_starts_at, EventSeries.id)))


def series_list(
    org_id: uuid.UUID,
    *,
    scope: EventScope,
    team_ids: set[uuid.UUID] | None,
    player_id: uuid.UUID | None,
    kind: str | None,
    created_by: uuid.UUID | None,
    window_from: datetime | None,
    window_to: datetime | None,
) -> Select:
    """The series a person may read (cancelled ones included), for ``paginate``."""
    query = select(EventSeries).where(EventSeries.org_id == org_id)
    query = _filtered(query, scope=scope, team_ids=team_ids, player_id=player_id, kind=kind, created_by=created_by)
    if window_from is not None:
        query = query.where(EventSeries.last_ends_at > window_from)
    if window_to is not None:
        query = query.where(EventSeries.first_starts_at < window_to)
    return query


SERIES_ORDER = (EventSeries.first_starts_at, EventSeries.id)


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
    """ "This and following": exceptions, answers, attendance and bookings from the split on go to the new series."""
    for model in (OccurrenceException, Rsvp, Attendance, Booking):
        await session.execute(
            update(model)
            .where(model.series_id == old_id, model.occurrence_start >= occurrence_start)
            .values(series_id=new_id)
        )


async def shift_occurrences(session: AsyncSession, series_id: uuid.UUID, delta: timedelta, zone_name: str) -> None:
    """The series' occurrences now start ``delta`` later on the wall clock: its exceptions, answers and attendance
    follow them (named by original start). Only for a new time of day (less than a day), which cannot make two
    occurrences collide."""
    for model in (OccurrenceException, Rsvp, Attendance):
        local = func.timezone(zone_name, model.occurrence_start)
        await session.execute(
            update(model)
            .where(model.series_id == series_id)
            .values(occurrence_start=func.timezone(zone_name, local + delta))
        )


async def series_of_training_session(session: AsyncSession, session_id: uuid.UUID) -> EventSeries | None:
    return await session.scalar(
        select(EventSeries).where(EventSeries.training_session_id == session_id).with_for_update()
    )


# --- teams and people (read models) ---------------------------------------------------------------------------------


async def get_team(session: AsyncSession, team_id: uuid.UUID) -> TeamName | None:
    return await session.get(TeamName, team_id)


async def get_active_person(session: AsyncSession, user_id: uuid.UUID) -> PersonName | None:
    person = await session.get(PersonName, user_id)
    return person if person is not None and person.active else None


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


async def teams_of_players(
    session: AsyncSession, org_id: uuid.UUID, player_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    ids = list(player_ids)
    found: dict[uuid.UUID, set[uuid.UUID]] = {p: set() for p in ids}
    if ids:
        rows = await session.execute(
            select(RosterEntry.user_id, RosterEntry.team_id).where(
                RosterEntry.org_id == org_id, RosterEntry.user_id.in_(ids), RosterEntry.role == "player"
            )
        )
        for user_id, team_id in rows:
            found[user_id].add(team_id)
    return found


async def memberships_of(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    rows = await session.execute(
        select(RosterEntry.team_id, RosterEntry.role).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id == user_id
        )
    )
    return [tuple(row) for row in rows]


async def minors_of(session: AsyncSession, org_id: uuid.UUID, guardian_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(GuardianLink.minor_id).where(GuardianLink.org_id == org_id, GuardianLink.guardian_id == guardian_id)
    )
    return set(rows)


async def team_names(session: AsyncSession, org_id: uuid.UUID, team_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = [t for t in team_ids if t is not None]
    if not ids:
        return {}
    rows = await session.execute(
        select(TeamName.team_id, TeamName.name).where(TeamName.org_id == org_id, TeamName.team_id.in_(ids))
    )
    return dict(rows.all())


async def person_names(session: AsyncSession, org_id: uuid.UUID, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(PersonName.user_id, PersonName.full_name).where(PersonName.org_id == org_id, PersonName.user_id.in_(ids))
    )
    return dict(rows.all())


async def resource_names(session: AsyncSession, org_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await session.execute(
        select(Resource.id, Resource.name).where(Resource.org_id == org_id, Resource.id.in_(wanted))
    )
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


# --- keeping the read models ------------------------------------------------------------------------------------------


async def upsert_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID, name: str) -> None:
    stmt = insert(TeamName).values(team_id=team_id, org_id=org_id, name=name)
    await session.execute(stmt.on_conflict_do_update(index_elements=["team_id"], set_={"name": name}))


async def upsert_person(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, full_name: str, org_roles: list[str]
) -> None:
    values = {"full_name": full_name, "org_roles": org_roles}
    stmt = insert(PersonName).values(user_id=user_id, org_id=org_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_=values))


async def deactivate_person(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, *, new_name: str | None = None
) -> None:
    values: dict = {"active": False} if new_name is None else {"active": False, "full_name": new_name}
    await session.execute(update(PersonName).where(PersonName.user_id == user_id).values(**values))
    await session.execute(delete(RosterEntry).where(RosterEntry.org_id == org_id, RosterEntry.user_id == user_id))
    await session.execute(
        delete(GuardianLink).where(
            GuardianLink.org_id == org_id, or_(GuardianLink.guardian_id == user_id, GuardianLink.minor_id == user_id)
        )
    )


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


async def link_guardian(session: AsyncSession, org_id: uuid.UUID, guardian_id, minor_id) -> None:
    stmt = insert(GuardianLink).values(org_id=org_id, guardian_id=guardian_id, minor_id=minor_id)
    await session.execute(stmt.on_conflict_do_nothing())


async def unlink_guardian(session: AsyncSession, org_id: uuid.UUID, guardian_id, minor_id) -> None:
    await session.execute(
        delete(GuardianLink).where(
            GuardianLink.org_id == org_id, GuardianLink.guardian_id == guardian_id, GuardianLink.minor_id == minor_id
        )
    )


async def revoke_feeds(
    session: AsyncSession, org_id: uuid.UUID, owner_id: uuid.UUID, at: datetime, *, team_id: uuid.UUID | None = None
) -> None:
    """Revoke the owner's live feeds (of ``team_id`` only, when given)."""
    query = update(FeedToken).where(
        FeedToken.org_id == org_id, FeedToken.owner_id == owner_id, FeedToken.revoked_at.is_(None)
    )
    if team_id is not None:
        query = query.where(FeedToken.team_id == team_id)
    await session.execute(query.values(revoked_at=at))


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
