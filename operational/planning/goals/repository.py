"""All SQL of goals, development plans and their reviews. Every lookup by id takes the club's id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.planning.models import DevelopmentPlan, DevelopmentReview, Goal


@dataclass(frozen=True)
class Scope:
    """What a list may return: everything of the club (``everything``), records about ``player_ids`` (the caller and
    their minors), records filed under ``staff_team_ids``, and team goals of ``member_team_ids``."""

    everything: bool
    player_ids: frozenset[uuid.UUID]
    staff_team_ids: frozenset[uuid.UUID]
    member_team_ids: frozenset[uuid.UUID]


def _visible(model, scope: Scope, *, team_goals: bool):
    if scope.everything:
        return None
    conditions = [model.player_id.in_(list(scope.player_ids)), model.team_id.in_(list(scope.staff_team_ids))]
    if team_goals:
        conditions.append(and_(model.player_id.is_(None), model.team_id.in_(list(scope.member_team_ids))))
    return or_(*conditions)


async def get_goal(session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID) -> Goal | None:
    return await session.scalar(select(Goal).where(Goal.org_id == org_id, Goal.id == goal_id))


async def list_goals(
    session: AsyncSession, org_id, scope: Scope, page: PageParams, *, team_id=None, player_id=None
) -> tuple[list[Goal], int]:
    query = select(Goal).where(Goal.org_id == org_id)
    visible = _visible(Goal, scope, team_goals=True)
    if visible is not None:
        query = query.where(visible)
    if team_id is not None:
        query = query.where(Goal.team_id == team_id)
    if player_id is not None:
        query = query.where(Goal.player_id == player_id)
    return await paginate(session, query, page, order_by=(Goal.due_on, Goal.id))


async def goals_of_plan(session: AsyncSession, development_plan_id: uuid.UUID) -> list[Goal]:
    rows = await session.scalars(
        select(Goal).where(Goal.development_plan_id == development_plan_id).order_by(Goal.due_on, Goal.id)
    )
    return list(rows)


async def get_development_plan(session: AsyncSession, org_id, plan_id) -> DevelopmentPlan | None:
    return await session.scalar(
        select(DevelopmentPlan).where(DevelopmentPlan.org_id == org_id, DevelopmentPlan.id == plan_id)
    )


async def list_development_plans(
    session: AsyncSession, org_id, scope: Scope, page: PageParams, *, player_id=None
) -> tuple[list[DevelopmentPlan], int]:
    query = select(DevelopmentPlan).where(DevelopmentPlan.org_id == org_id)
    visible = _visible(DevelopmentPlan, scope, team_goals=False)
    if visible is not None:
        query = query.where(visible)
    if player_id is not None:
        query = query.where(DevelopmentPlan.player_id == player_id)
    return await paginate(session, query, page, order_by=(DevelopmentPlan.starts_on.desc(), DevelopmentPlan.id))


async def reviews_of(session: AsyncSession, development_plan_id: uuid.UUID) -> list[DevelopmentReview]:
    rows = await session.scalars(
        select(DevelopmentReview)
        .where(DevelopmentReview.development_plan_id == development_plan_id)
        .order_by(DevelopmentReview.reviewed_on, DevelopmentReview.recorded_at)
    )
    return list(rows)


async def erase_player(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> None:
    """Delete everything kept about a player who asked to be forgotten: goals, development plans and their reviews."""
    await session.execute(delete(Goal).where(Goal.org_id == org_id, Goal.player_id == player_id))
    await session.execute(
        delete(DevelopmentPlan).where(DevelopmentPlan.org_id == org_id, DevelopmentPlan.player_id == player_id)
    )
