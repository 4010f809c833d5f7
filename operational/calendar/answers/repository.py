"""SQL of RSVPs and attendance: the answers, and the sheet of everyone expected with theirs (or none)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, func, select, union
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar.models import Attendance, EventSeries, PersonName, RosterEntry, Rsvp
from operational.kit.pagination import PageParams, paginate

ANSWER_OF = {Rsvp: Rsvp.response, Attendance: Attendance.status}


def _expected(model, series: EventSeries, occurrence_start: datetime):
    """Everyone expected at the occurrence: the team's players, the listed players, and whoever answered anyway."""
    sources: list[Select] = [
        select(model.player_id.label("player_id")).where(
            model.series_id == series.id, model.occurrence_start == occurrence_start
        )
    ]
    if series.team_id is not None:
        sources.append(
            select(RosterEntry.user_id.label("player_id")).where(
                RosterEntry.org_id == series.org_id, RosterEntry.team_id == series.team_id, RosterEntry.role == "player"
            )
        )
    if series.player_ids:
        listed = bindparam("listed", list(series.player_ids), type_=ARRAY(UUID(as_uuid=True)))
        sources.append(select(func.unnest(listed).label("player_id")))
    return union(*sources).subquery("expected")


def _sheet(model, series: EventSeries, occurrence_start: datetime, only: set[uuid.UUID] | None):
    expected = _expected(model, series, occurrence_start)
    answered = and_(
        model.series_id == series.id,
        model.occurrence_start == occurrence_start,
        model.player_id == expected.c.player_id,
    )
    named = and_(PersonName.user_id == expected.c.player_id, PersonName.org_id == series.org_id)
    query = select(expected.c.player_id, PersonName.full_name, model).select_from(expected)
    query = query.outerjoin(PersonName, named).outerjoin(model, answered)
    if only is not None:
        query = query.where(expected.c.player_id.in_(only))
    return query, expected


async def answer_sheet(
    session: AsyncSession,
    model,
    series: EventSeries,
    occurrence_start: datetime,
    page: PageParams,
    *,
    only: set[uuid.UUID] | None,
) -> tuple[list, int]:
    """One page of (player id, name, answer or None), by name."""
    query, expected = _sheet(model, series, occurrence_start, only)
    order = (func.coalesce(PersonName.full_name, ""), expected.c.player_id)
    return await paginate(session, query, page, order_by=order, scalars=False)


async def answer_totals(
    session: AsyncSession, model, series: EventSeries, occurrence_start: datetime, *, only: set[uuid.UUID] | None
) -> dict[str | None, int]:
    """How many of those expected gave each answer (None: no answer yet)."""
    query, _ = _sheet(model, series, occurrence_start, only)
    answer = ANSWER_OF[model]
    column = query.subquery().c[answer.key]
    counted = select(column, func.count()).group_by(column)
    return dict((await session.execute(counted)).all())


async def expected_players(session: AsyncSession, series: EventSeries) -> set[uuid.UUID]:
    players = set(series.player_ids or ())
    if series.team_id is not None:
        rows = await session.scalars(
            select(RosterEntry.user_id).where(
                RosterEntry.org_id == series.org_id, RosterEntry.team_id == series.team_id, RosterEntry.role == "player"
            )
        )
        players |= set(rows)
    return players


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
