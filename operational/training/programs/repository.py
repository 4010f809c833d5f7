"""All SQL of the exercise library, workout templates and planned sessions. Every lookup by id takes the club's id."""

from __future__ import annotations

import uuid

from sqlalchemy import Date, and_, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import DateRange, PageParams, paginate
from operational.training.models import Exercise, RosterEntry, SessionAssignment, TrainingSession, WorkoutTemplate
from operational.training.policies import SessionScope, SessionView


# --- exercises ------------------------------------------------------------------------------------------------------
def _exercises_of(org_id: uuid.UUID):
    """The predefined library (no club) and the club's own exercises."""
    return or_(Exercise.org_id == org_id, Exercise.org_id.is_(None))


async def get_exercise(session: AsyncSession, org_id: uuid.UUID, exercise_id: uuid.UUID) -> Exercise | None:
    return await session.scalar(select(Exercise).where(Exercise.id == exercise_id, _exercises_of(org_id)))


async def exercises_by_id(session: AsyncSession, org_id: uuid.UUID, ids) -> dict[uuid.UUID, Exercise]:
    rows = await session.scalars(select(Exercise).where(Exercise.id.in_(list(ids)), _exercises_of(org_id)))
    return {row.id: row for row in rows}


async def list_exercises(
    session: AsyncSession,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    category: str | None,
    search: str | None,
    muscle_group: str | None,
    predefined: bool | None,
) -> tuple[list[Exercise], int]:
    query = select(Exercise).where(_exercises_of(org_id))
    if category is not None:
        query = query.where(Exercise.category == category)
    if muscle_group is not None:
        query = query.where(Exercise.muscle_groups.any(muscle_group))
    if search:
        query = query.where(Exercise.name.icontains(search, autoescape=True))
    if predefined is not None:
        query = query.where(Exercise.org_id.is_(None) if predefined else Exercise.org_id == org_id)
    return await paginate(session, query, page, order_by=(Exercise.category, Exercise.name, Exercise.id))


# --- templates ------------------------------------------------------------------------------------------------------
async def get_template(session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID) -> WorkoutTemplate | None:
    return await session.scalar(
        select(WorkoutTemplate).where(WorkoutTemplate.id == template_id, WorkoutTemplate.org_id == org_id)
    )


async def list_templates(
    session: AsyncSession,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    search: str | None,
    exercise_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    dates: DateRange,
    zone: str,
) -> tuple[list[WorkoutTemplate], int]:
    query = select(WorkoutTemplate).where(WorkoutTemplate.org_id == org_id)
    if search:
        query = query.where(WorkoutTemplate.name.icontains(search, autoescape=True))
    if exercise_id is not None:
        # blocks: [{"name": …, "exercises": [{"exercise_id": …, …}, …]}, …]; jsonb containment finds it anywhere
        query = query.where(WorkoutTemplate.blocks.contains([{"exercises": [{"exercise_id": str(exercise_id)}]}]))
    if team_id is not None:  # the templates the team's sessions were planned from
        query = query.where(
            exists().where(
                TrainingSession.org_id == org_id,
                TrainingSession.template_id == WorkoutTemplate.id,
                TrainingSession.team_id == team_id,
            )
        )
    query = _on_local_days(query, WorkoutTemplate.updated_at, dates, zone)
    return await paginate(session, query, page, order_by=(WorkoutTemplate.name, WorkoutTemplate.id))


def _on_local_days(query, moment_column, dates: DateRange, zone: str):
    """``query`` limited to rows whose ``moment_column`` falls on the club's days ``dates`` (both ends included).
    Postgres does the conversion, so no date in the range can overflow."""
    local_day = cast(func.timezone(zone, moment_column), Date)
    if dates.date_from is not None:
        query = query.where(local_day >= dates.date_from)
    if dates.date_to is not None:
        query = query.where(local_day <= dates.date_to)
    return query


# --- sessions -------------------------------------------------------------------------------------------------------
async def get_session_view(session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID) -> SessionView | None:
    training_session = await session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id, TrainingSession.org_id == org_id)
    )
    if training_session is None:
        return None
    players = await session.execute(
        select(SessionAssignment.player_id, RosterEntry.team_id)
        .outerjoin(
            RosterEntry,
            and_(
                RosterEntry.user_id == SessionAssignment.player_id,
                RosterEntry.org_id == org_id,
                RosterEntry.role == "player",
            ),
        )
        .where(SessionAssignment.org_id == org_id, SessionAssignment.session_id == session_id)
    )
    rows = players.all()
    return SessionView(
        session=training_session,
        player_ids=frozenset(player_id for player_id, _ in rows),
        player_team_ids=frozenset(team_id for _, team_id in rows if team_id is not None),
    )


def _visible_sessions(org_id: uuid.UUID, scope: SessionScope):
    assigned = SessionAssignment.session_id == TrainingSession.id
    conditions = [
        TrainingSession.created_by == scope.user_id,
        exists().where(assigned, SessionAssignment.player_id.in_(list(scope.own_player_ids))),
    ]
    if scope.staff_team_ids:
        staff_teams = list(scope.staff_team_ids)
        conditions.append(TrainingSession.team_id.in_(staff_teams))
        conditions.append(
            and_(
                TrainingSession.team_id.is_(None),
                exists()
                .where(assigned)
                .where(
                    RosterEntry.user_id == SessionAssignment.player_id,
                    RosterEntry.org_id == org_id,
                    RosterEntry.role == "player",
                    RosterEntry.team_id.in_(staff_teams),
                ),
            )
        )
    return or_(*conditions)


async def list_sessions(
    session: AsyncSession,
    org_id: uuid.UUID,
    scope: SessionScope,
    page: PageParams,
    *,
    zone: str,
    team_id: uuid.UUID | None,
    player_id: uuid.UUID | None,
    dates: DateRange,
) -> tuple[list[TrainingSession], int]:
    query = select(TrainingSession).where(TrainingSession.org_id == org_id)
    if not scope.everything:
        query = query.where(_visible_sessions(org_id, scope))
    if team_id is not None:
        query = query.where(TrainingSession.team_id == team_id)
    if player_id is not None:
        query = query.where(
            exists().where(SessionAssignment.session_id == TrainingSession.id, SessionAssignment.player_id == player_id)
        )
    query = _on_local_days(query, TrainingSession.starts_at, dates, zone)
    return await paginate(session, query, page, order_by=(TrainingSession.starts_at, TrainingSession.id))


async def assignments_of(session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID) -> list[SessionAssignment]:
    return list(
        await session.scalars(
            select(SessionAssignment)
            .where(SessionAssignment.org_id == org_id, SessionAssignment.session_id == session_id)
            .order_by(SessionAssignment.id)
        )
    )


async def assignment(
    session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID, player_id: uuid.UUID
) -> SessionAssignment | None:
    return await session.scalar(
        select(SessionAssignment).where(
            SessionAssignment.org_id == org_id,
            SessionAssignment.session_id == session_id,
            SessionAssignment.player_id == player_id,
        )
    )
