"""All SQL of the medical service: health problems, availability, the access log and the roster read model. Every
lookup by id takes the club's id: a row of another club is never found. (Treatments and return to play: rehab/;
questionnaire and tasks: ostrc/.)"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import delete, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit import roster
from operational.kit.pagination import PageParams, paginate
from operational.medical.models import (
    AccessLogEntry,
    Availability,
    Document,
    HealthProblem,
    MedicalTask,
    OstrcResponse,
    RehabPlan,
    ReturnToPlay,
    RosterEntry,
    StageChange,
    Treatment,
)
from operational.medical.policies import AvailabilityScope, ClinicalScope

# A problem with the same code and side within this long of the index problem's return to full participation is a
# recurrence (IOC 2020 consensus).
RECURRENCE_WINDOW = timedelta(days=61)


async def add(session: AsyncSession, row) -> None:
    session.add(row)
    await session.flush()


async def remove(session: AsyncSession, row) -> None:
    await session.delete(row)
    await session.flush()


# --- health problems ------------------------------------------------------------------------------------------------
async def get_problem(session: AsyncSession, org_id: uuid.UUID, problem_id: uuid.UUID) -> HealthProblem | None:
    return await session.scalar(
        select(HealthProblem).where(HealthProblem.org_id == org_id, HealthProblem.id == problem_id)
    )


async def list_problems(
    session: AsyncSession,
    org_id: uuid.UUID,
    scope: ClinicalScope,
    page: PageParams,
    *,
    player_id: uuid.UUID | None,
    open_on: date | None,
) -> tuple[list[HealthProblem], int]:
    query = select(HealthProblem).where(HealthProblem.org_id == org_id)
    if scope.player_ids is not None:
        query = query.where(HealthProblem.player_id.in_(scope.player_ids))
    if player_id is not None:
        query = query.where(HealthProblem.player_id == player_id)
    if open_on is not None:
        query = query.where(_open_on(open_on))
    order = (HealthProblem.onset_date.desc(), HealthProblem.id)
    return await paginate(session, query, page, order_by=order)


def _open_on(day: date):
    return or_(HealthProblem.return_to_play_date.is_(None), HealthProblem.return_to_play_date > day)


async def open_problems(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, day: date):
    rows = await session.scalars(
        select(HealthProblem)
        .where(HealthProblem.org_id == org_id, HealthProblem.player_id == player_id, _open_on(day))
        .order_by(HealthProblem.onset_date, HealthProblem.id)
    )
    return list(rows)


async def index_problem(session: AsyncSession, problem: HealthProblem) -> HealthProblem | None:
    """The earlier problem ``problem`` recurs: same player, code and side, back to full participation no more than
    two months before this one began (the most recent such problem)."""
    return await session.scalar(
        select(HealthProblem)
        .where(
            HealthProblem.org_id == problem.org_id,
            HealthProblem.player_id == problem.player_id,
            HealthProblem.id != problem.id,
            HealthProblem.osiics_code == problem.osiics_code,
            HealthProblem.side.is_not_distinct_from(problem.side),
            HealthProblem.return_to_play_date.is_not(None),
            HealthProblem.return_to_play_date <= problem.onset_date,
            HealthProblem.return_to_play_date >= problem.onset_date - RECURRENCE_WINDOW,
        )
        .order_by(HealthProblem.return_to_play_date.desc(), HealthProblem.id)
        .limit(1)
    )


# --- availability ---------------------------------------------------------------------------------------------------
async def get_availability(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> Availability | None:
    return await session.scalar(
        select(Availability).where(Availability.org_id == org_id, Availability.player_id == player_id)
    )


async def lock_player(session: AsyncSession, player_id: uuid.UUID) -> None:
    """Serialise changes to one player's availability until the transaction ends."""
    await session.execute(select(text("pg_advisory_xact_lock(hashtext(:key))")).params(key=f"medical:{player_id}"))


async def list_availability(
    session: AsyncSession, org_id: uuid.UUID, scope: AvailabilityScope, page: PageParams, team_id: uuid.UUID | None
) -> tuple[list[Availability], int]:
    query = select(Availability).where(Availability.org_id == org_id)
    on_team = select(RosterEntry.user_id).where(RosterEntry.org_id == org_id, RosterEntry.role == "player")
    if not scope.everything:
        query = query.where(
            or_(
                Availability.player_id.in_(scope.player_ids),
                Availability.player_id.in_(on_team.where(RosterEntry.team_id.in_(scope.team_ids))),
            )
        )
    if team_id is not None:
        query = query.where(Availability.player_id.in_(on_team.where(RosterEntry.team_id == team_id)))
    return await paginate(session, query, page, order_by=(Availability.player_id,))


# --- the access log -------------------------------------------------------------------------------------------------
async def append_access(session: AsyncSession, entries: list[dict]) -> None:
    """Append rows; the database chains them (id, time and hashes are its own)."""
    if entries:
        await session.execute(pg_insert(AccessLogEntry), entries)


async def list_access(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, page: PageParams
) -> tuple[list[AccessLogEntry], int]:
    query = select(AccessLogEntry).where(AccessLogEntry.org_id == org_id, AccessLogEntry.player_id == player_id)
    return await paginate(session, query, page, order_by=(AccessLogEntry.id.desc(),))


async def first_broken_access_entry(session: AsyncSession, org_id: uuid.UUID) -> int | None:
    """The first row of the club's access log whose hash chain is broken, or None when it is intact."""
    return await session.scalar(select(text("medical.verify_access_log(:club)")).params(club=org_id))


# --- roster read model ----------------------------------------------------------------------------------------------
async def teams_of_player(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.team_id).where(
            RosterEntry.org_id == org_id, RosterEntry.user_id == player_id, RosterEntry.role == "player"
        )
    )
    return set(rows)


async def team_in_org(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id).limit(1)
    )
    return found is not None


async def join_team(session: AsyncSession, org_id, team_id, user_id, role: str) -> None:
    await roster.join_roster(session, RosterEntry, org_id, team_id, user_id, role)


async def leave_team(session: AsyncSession, org_id, user_id, *, team_id=None, role: str | None = None) -> None:
    await roster.leave_roster(session, RosterEntry, org_id, user_id, team_id=team_id, role=role)


async def erase_player(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> None:
    """Erasure: every clinical record of the player goes (treatments, return to play, rehab plans, answers and tasks
    cascade).
    The access log stays: it names the player by an id that no longer leads to a person."""
    for model in (MedicalTask, OstrcResponse, HealthProblem, Availability):
        await session.execute(delete(model).where(model.org_id == org_id, model.player_id == player_id))


async def everything_about(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> dict[str, list]:
    """Every row the service keeps about a player, per table (for the player's export)."""
    found = {}
    for name, model in (("health_problems", HealthProblem), ("treatments", Treatment), ("return_to_play", ReturnToPlay),
                        ("rehab_plans", RehabPlan), ("ostrc_responses", OstrcResponse), ("documents", Document),
                        ("availability", Availability), ("access_log", AccessLogEntry)):  # fmt: skip
        rows = await session.scalars(select(model).where(model.org_id == org_id, model.player_id == player_id))
        found[name] = list(rows)
    plan_ids = [plan.id for plan in found["return_to_play"]]
    rows = await session.scalars(select(StageChange).where(StageChange.return_to_play_id.in_(plan_ids)))
    found["return_to_play_stage_changes"] = list(rows) if plan_ids else []
    return found
