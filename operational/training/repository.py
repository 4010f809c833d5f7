"""All SQL of the training service."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.training.models import (
    Exercise,
    PhysicalTest,
    PlayerAvailability,
    ProcessedEvent,
    RosterEntry,
    SessionAssignment,
    SessionRpeLog,
    TeamSetting,
    TestResult,
    TrainingSession,
    WellnessEntry,
    WorkoutTemplate,
)
from operational.training.policies import ListScope


async def add_rpe_log(session: AsyncSession, log: SessionRpeLog) -> SessionRpeLog:
    session.add(log)
    await session.flush()
    return log


async def get_rpe_log(session: AsyncSession, log_id: uuid.UUID) -> SessionRpeLog | None:
    return await session.get(SessionRpeLog, log_id)


def _visible(query: Select, model, scope: ListScope, player_id: uuid.UUID | None) -> Select:
    """Rows of a player-owned table the scope may see, optionally of one player."""
    if scope.team_ids is not None:
        query = query.where(or_(model.player_id.in_(scope.player_ids), model.team_id.in_(scope.team_ids)))
    if player_id is not None:
        query = query.where(model.player_id == player_id)
    return query


def _dated(query: Select, column, date_from: date | None, date_to: date | None) -> Select:
    if date_from is not None:
        query = query.where(column >= date_from)
    if date_to is not None:
        query = query.where(column <= date_to)
    return query


async def _page(session: AsyncSession, query: Select, order_by, limit: int, offset: int) -> tuple[list, int]:
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.order_by(*order_by).limit(limit).offset(offset))
    return list(rows), total


async def list_rpe_logs(
    session: AsyncSession, org_id: uuid.UUID, *, scope: ListScope, player_id, date_from, date_to, limit, offset
) -> tuple[list[SessionRpeLog], int]:
    query = _visible(select(SessionRpeLog).where(SessionRpeLog.org_id == org_id), SessionRpeLog, scope, player_id)
    query = _dated(query, SessionRpeLog.session_date, date_from, date_to)
    return await _page(session, query, (SessionRpeLog.session_date.desc(), SessionRpeLog.id.desc()), limit, offset)


# --- wellness -------------------------------------------------------------------------------------------------------
async def team_setting(session: AsyncSession, team_id: uuid.UUID) -> TeamSetting | None:
    return await session.get(TeamSetting, team_id)


async def wellness_on(session: AsyncSession, player_id: uuid.UUID, day: date) -> WellnessEntry | None:
    return await session.scalar(
        select(WellnessEntry).where(WellnessEntry.player_id == player_id, WellnessEntry.wellness_date == day)
    )


async def list_wellness(
    session: AsyncSession, org_id: uuid.UUID, *, scope: ListScope, player_id, date_from, date_to, limit, offset
) -> tuple[list[WellnessEntry], int]:
    query = _visible(select(WellnessEntry).where(WellnessEntry.org_id == org_id), WellnessEntry, scope, player_id)
    query = _dated(query, WellnessEntry.wellness_date, date_from, date_to)
    return await _page(session, query, (WellnessEntry.wellness_date.desc(),), limit, offset)


# --- physical tests -------------------------------------------------------------------------------------------------
async def get_physical_test(session: AsyncSession, org_id: uuid.UUID, test_id: uuid.UUID) -> PhysicalTest | None:
    return await session.scalar(select(PhysicalTest).where(PhysicalTest.id == test_id, PhysicalTest.org_id == org_id))


async def physical_test_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> PhysicalTest | None:
    return await session.scalar(select(PhysicalTest).where(PhysicalTest.org_id == org_id, PhysicalTest.name == name))


async def list_physical_tests(session: AsyncSession, org_id: uuid.UUID) -> list[PhysicalTest]:
    return list(
        await session.scalars(select(PhysicalTest).where(PhysicalTest.org_id == org_id).order_by(PhysicalTest.name))
    )


async def list_test_results(
    session: AsyncSession, org_id: uuid.UUID, test_id: uuid.UUID, *, scope: ListScope, player_id, limit, offset
) -> tuple[list[TestResult], int]:
    query = select(TestResult).where(TestResult.org_id == org_id, TestResult.test_id == test_id)
    query = _visible(query, TestResult, scope, player_id)
    return await _page(session, query, (TestResult.tested_on.desc(),), limit, offset)


async def latest_results_by_test_name(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID
) -> dict[str, float]:
    """Test name → the player's most recent result."""
    ranked = (
        select(
            PhysicalTest.name,
            TestResult.value,
            func.row_number()
            .over(partition_by=TestResult.test_id, order_by=TestResult.tested_on.desc())
            .label("recency"),
        )
        .join(PhysicalTest, PhysicalTest.id == TestResult.test_id)
        .where(TestResult.org_id == org_id, TestResult.player_id == player_id)
        .subquery()
    )
    rows = await session.execute(select(ranked.c.name, ranked.c.value).where(ranked.c.recency == 1))
    return {name: value for name, value in rows.all()}


# --- exercises, templates, sessions ---------------------------------------------------------------------------------
async def get_exercise(session: AsyncSession, org_id: uuid.UUID, exercise_id: uuid.UUID) -> Exercise | None:
    return await session.scalar(
        select(Exercise).where(Exercise.id == exercise_id, or_(Exercise.org_id == org_id, Exercise.org_id.is_(None)))
    )


async def exercises_by_id(session: AsyncSession, org_id: uuid.UUID, ids) -> dict[uuid.UUID, Exercise]:
    rows = await session.scalars(
        select(Exercise).where(Exercise.id.in_(list(ids)), or_(Exercise.org_id == org_id, Exercise.org_id.is_(None)))
    )
    return {row.id: row for row in rows}


async def list_exercises(
    session: AsyncSession, org_id: uuid.UUID, *, category, search, muscle_group, limit, offset
) -> tuple[list[Exercise], int]:
    query = select(Exercise).where(or_(Exercise.org_id == org_id, Exercise.org_id.is_(None)))
    if category is not None:
        query = query.where(Exercise.category == category)
    if muscle_group is not None:
        query = query.where(Exercise.muscle_groups.any(muscle_group))
    if search:
        query = query.where(func.lower(Exercise.name).like(f"%{search.lower()}%"))
    return await _page(session, query, (Exercise.category, Exercise.name), limit, offset)


async def get_template(session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID) -> WorkoutTemplate | None:
    return await session.scalar(
        select(WorkoutTemplate).where(WorkoutTemplate.id == template_id, WorkoutTemplate.org_id == org_id)
    )


async def list_templates(session: AsyncSession, org_id: uuid.UUID, *, limit, offset):
    query = select(WorkoutTemplate).where(WorkoutTemplate.org_id == org_id)
    return await _page(session, query, (WorkoutTemplate.name,), limit, offset)


async def get_session(session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID) -> TrainingSession | None:
    return await session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id, TrainingSession.org_id == org_id)
    )


async def assignments_of(session: AsyncSession, session_id: uuid.UUID) -> list[SessionAssignment]:
    return list(
        await session.scalars(
            select(SessionAssignment).where(SessionAssignment.session_id == session_id).order_by(SessionAssignment.id)
        )
    )


async def assignment(session: AsyncSession, session_id: uuid.UUID, player_id: uuid.UUID) -> SessionAssignment | None:
    return await session.scalar(
        select(SessionAssignment).where(
            SessionAssignment.session_id == session_id, SessionAssignment.player_id == player_id
        )
    )


async def rpe_logged_for_session(session: AsyncSession, session_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(select(SessionRpeLog.player_id).where(SessionRpeLog.session_id == session_id))
    return set(rows)


# --- availability read model ----------------------------------------------------------------------------------------
async def availability_of(session: AsyncSession, player_ids) -> dict[uuid.UUID, PlayerAvailability]:
    rows = await session.scalars(select(PlayerAvailability).where(PlayerAvailability.player_id.in_(list(player_ids))))
    return {row.player_id: row for row in rows}


async def mark_processed(session: AsyncSession, consumer: str, event_id: uuid.UUID) -> bool:
    """Record that ``consumer`` handled ``event_id``; False when it already had (a redelivery)."""
    inserted = await session.execute(
        pg_insert(ProcessedEvent)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(ProcessedEvent.event_id)
    )
    return inserted.first() is not None


async def upsert_availability(session: AsyncSession, row: dict) -> None:
    statement = pg_insert(PlayerAvailability).values(**row)
    newer = statement.excluded.updated_at >= PlayerAvailability.updated_at
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PlayerAvailability.player_id],
            set_={k: statement.excluded[k] for k in row if k != "player_id"},
            where=newer,
        )
    )


async def on_roster(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, team_ids, roles=("player",)
) -> set[uuid.UUID]:
    """The teams among ``team_ids`` where ``user_id`` has one of ``roles``."""
    rows = await session.scalars(
        select(RosterEntry.team_id).where(
            RosterEntry.org_id == org_id,
            RosterEntry.user_id == user_id,
            RosterEntry.team_id.in_(list(team_ids)),
            RosterEntry.role.in_(list(roles)),
        )
    )
    return set(rows)


async def players_of_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(RosterEntry.user_id).where(
            RosterEntry.org_id == org_id, RosterEntry.team_id == team_id, RosterEntry.role == "player"
        )
    )
    return sorted(set(rows))


async def team_in_org(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(RosterEntry.team_id).where(RosterEntry.org_id == org_id, RosterEntry.team_id == team_id).limit(1)
    )
    return found is not None
