"""All SQL of season plans, their weeks and key games, and of the planning read models (rosters, the calendar's
games). Every lookup by id takes the club's id: a row of another club is never found. Goals and development plans:
goals/repository.py."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit import roster
from operational.kit.pagination import PageParams, paginate
from operational.planning.models import (
    CalendarGame,
    KeyGamePriority,
    Mesocycle,
    Phase,
    PlanWeek,
    RosterEntry,
    SeasonPlan,
)


async def add(session: AsyncSession, *rows) -> None:
    session.add_all(rows)
    await session.flush()


async def remove(session: AsyncSession, *rows) -> None:
    for row in rows:
        await session.delete(row)
    await session.flush()


# --- plans ----------------------------------------------------------------------------------------------------------
async def get_plan(session: AsyncSession, org_id: uuid.UUID, plan_id: uuid.UUID) -> SeasonPlan | None:
    return await session.scalar(select(SeasonPlan).where(SeasonPlan.org_id == org_id, SeasonPlan.id == plan_id))


async def list_plans(
    session: AsyncSession, org_id: uuid.UUID, team_ids: frozenset[uuid.UUID] | None, page: PageParams
) -> tuple[list[SeasonPlan], int]:
    """Plans of the club (``team_ids`` None) or of these teams, latest season first."""
    query = select(SeasonPlan).where(SeasonPlan.org_id == org_id)
    if team_ids is not None:
        query = query.where(SeasonPlan.team_id.in_(list(team_ids)))
    return await paginate(session, query, page, order_by=(SeasonPlan.starts_on.desc(), SeasonPlan.id))


async def overlapping_plan(
    session: AsyncSession, org_id, team_id, starts_on: date, ends_on: date, *, other_than: uuid.UUID | None = None
) -> SeasonPlan | None:
    query = select(SeasonPlan).where(
        SeasonPlan.org_id == org_id,
        SeasonPlan.team_id == team_id,
        SeasonPlan.starts_on <= ends_on,
        SeasonPlan.ends_on >= starts_on,
    )
    if other_than is not None:
        query = query.where(SeasonPlan.id != other_than)
    return await session.scalar(query.limit(1))


async def phases_of(session: AsyncSession, plan_id: uuid.UUID) -> list[Phase]:
    return list(await session.scalars(select(Phase).where(Phase.plan_id == plan_id).order_by(Phase.starts_on)))


async def mesocycles_of(session: AsyncSession, plan_id: uuid.UUID) -> list[Mesocycle]:
    rows = await session.scalars(select(Mesocycle).where(Mesocycle.plan_id == plan_id).order_by(Mesocycle.starts_on))
    return list(rows)


async def get_mesocycle(session: AsyncSession, plan_id: uuid.UUID, mesocycle_id: uuid.UUID) -> Mesocycle | None:
    return await session.scalar(select(Mesocycle).where(Mesocycle.plan_id == plan_id, Mesocycle.id == mesocycle_id))


async def replace_structure(session: AsyncSession, plan_id: uuid.UUID, phases=None, mesocycles=None) -> None:
    """Replace the plan's phases and/or mesocycles (None: keep them)."""
    if phases is not None:
        await session.execute(delete(Phase).where(Phase.plan_id == plan_id))
        session.add_all(phases)
    if mesocycles is not None:
        await session.execute(delete(Mesocycle).where(Mesocycle.plan_id == plan_id))
        session.add_all(mesocycles)
    await session.flush()


# --- weeks ----------------------------------------------------------------------------------------------------------
async def weeks_of(session: AsyncSession, plan_id: uuid.UUID, *, from_week: date | None = None) -> list[PlanWeek]:
    query = select(PlanWeek).where(PlanWeek.plan_id == plan_id)
    if from_week is not None:
        query = query.where(PlanWeek.week_start >= from_week)
    return list(await session.scalars(query.order_by(PlanWeek.week_start)))


async def get_week(session: AsyncSession, plan_id: uuid.UUID, week_start: date) -> PlanWeek | None:
    return await session.scalar(select(PlanWeek).where(PlanWeek.plan_id == plan_id, PlanWeek.week_start == week_start))


async def file_weeks_under_mesocycles(session: AsyncSession, plan_id: uuid.UUID) -> None:
    """Point every week of the plan at the mesocycle its Monday falls in (after the mesocycles changed)."""
    mesocycles = await mesocycles_of(session, plan_id)
    for week in await weeks_of(session, plan_id):
        week.mesocycle_id = next((m.id for m in mesocycles if m.starts_on <= week.week_start <= m.ends_on), None)
    await session.flush()


# --- key games (read model of calendar events, priorities set here) ------------------------------------------------
async def games_of_team(
    session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID, starts: datetime, ends: datetime
) -> list[tuple[CalendarGame, str | None]]:
    """The team's (and club-wide) games starting in [starts, ends), not cancelled, with their priority."""
    rows = await session.execute(
        select(CalendarGame, KeyGamePriority.priority)
        .outerjoin(KeyGamePriority, KeyGamePriority.series_id == CalendarGame.series_id)
        .where(
            CalendarGame.org_id == org_id,
            or_(CalendarGame.team_id == team_id, CalendarGame.team_id.is_(None)),
            CalendarGame.cancelled.is_(False),
            CalendarGame.starts_at >= starts,
            CalendarGame.starts_at < ends,
        )
        .order_by(CalendarGame.starts_at, CalendarGame.series_id)
    )
    return [(game, priority) for game, priority in rows.all()]


async def get_game(session: AsyncSession, org_id: uuid.UUID, series_id: uuid.UUID) -> CalendarGame | None:
    return await session.scalar(
        select(CalendarGame).where(CalendarGame.org_id == org_id, CalendarGame.series_id == series_id)
    )


async def set_priority(session: AsyncSession, org_id, series_id, priority: str, set_by: uuid.UUID) -> None:
    statement = pg_insert(KeyGamePriority).values(series_id=series_id, org_id=org_id, priority=priority, set_by=set_by)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[KeyGamePriority.series_id],
            set_={"priority": priority, "set_by": set_by, "set_at": statement.excluded.set_at},
        )
    )


async def keep_game(session: AsyncSession, row: dict) -> None:
    statement = pg_insert(CalendarGame).values(**row)
    changes = {k: statement.excluded[k] for k in ("team_id", "kind", "title", "starts_at", "cancelled")}
    await session.execute(statement.on_conflict_do_update(index_elements=[CalendarGame.series_id], set_=changes))


async def cancel_game(session: AsyncSession, org_id: uuid.UUID, series_id: uuid.UUID) -> None:
    await session.execute(
        update(CalendarGame)
        .where(CalendarGame.org_id == org_id, CalendarGame.series_id == series_id)
        .values(cancelled=True)
    )


# --- roster read model ----------------------------------------------------------------------------------------------
async def team_in_org(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id).limit(1)
    )
    return found is not None


async def teams_of_player(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> set[uuid.UUID]:
    """The teams ``player_id`` plays for today."""
    rows = await session.scalars(
        select(RosterEntry.team_id).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id == player_id, RosterEntry.role == "player"
        )
    )
    return set(rows)


async def players_by_team(session: AsyncSession, org_id: uuid.UUID, team_ids) -> dict[uuid.UUID, set[uuid.UUID]]:
    rows = await session.execute(
        select(RosterEntry.team_id, RosterEntry.user_id).where(
            RosterEntry.org_id == org_id, RosterEntry.team_id.in_(list(team_ids)), RosterEntry.role == "player"
        )
    )
    players: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for team_id, user_id in rows.all():
        players[team_id].add(user_id)
    return dict(players)


async def join_team(session: AsyncSession, org_id, team_id, user_id, role: str) -> None:
    await roster.join_roster(session, RosterEntry, org_id, team_id, user_id, role)


async def leave_team(session: AsyncSession, org_id, user_id, *, team_id=None, role: str | None = None) -> None:
    await roster.leave_roster(session, RosterEntry, org_id, user_id, team_id=team_id, role=role)
