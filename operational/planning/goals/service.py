"""Goals (a measurable target for a team or a player; progress is computed in the warehouse, never typed) and
development plans (focus areas, goals, reviews). Never commits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import InvalidValue
from operational.kit.pagination import PageParams
from operational.planning import events, loaders, repository
from operational.planning.goals import repository as goals_repository
from operational.planning.goals.schemas import (
    DevelopmentPlanCreate,
    DevelopmentPlanRead,
    DevelopmentPlanUpdate,
    GoalCreate,
    GoalRead,
    GoalUpdate,
    ReviewCreate,
    ReviewRead,
    check_target,
)
from operational.planning.models import DevelopmentPlan, DevelopmentReview, Goal, outbox
from operational.planning.policies import TEAM_STAFF, is_admin


def list_scope(principal: Principal) -> goals_repository.Scope:
    return goals_repository.Scope(
        everything=is_admin(principal),
        player_ids=principal.guardian_of | {principal.user_id},
        staff_team_ids=principal.team_ids if principal.has_any_role(*TEAM_STAFF) else frozenset(),
        member_team_ids=principal.team_ids,
    )


async def _player_of_team(session: AsyncSession, principal: Principal, player_id, team_id) -> None:
    """The player is one the caller coaches, and plays for ``team_id``."""
    player = await loaders.coached_player.load(session, principal, player_id, field="player_id")
    if team_id not in player.team_ids:
        raise InvalidValue("That player does not play for this team; choose the player's own team.", field="team_id")


# --- goals ----------------------------------------------------------------------------------------------------------
async def create_goal(session: AsyncSession, principal: Principal, body: GoalCreate) -> Goal:
    await loaders.managed_team.load(session, principal, body.team_id, field="team_id")
    if body.player_id is not None:
        await _player_of_team(session, principal, body.player_id, body.team_id)
    if body.development_plan_id is not None:
        plan = await loaders.development_plan_editor.load(
            session, principal, body.development_plan_id, field="development_plan_id"
        )
        if plan.player_id != body.player_id:
            raise InvalidValue("A development plan's goals are its player's goals.", field="development_plan_id")
    goal = Goal(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        created_by=principal.user_id,
        **body.model_dump(),
    )
    await repository.add(session, goal)
    await outbox.record(session, events.goal_set(goal, principal))
    return goal


async def update_goal(session: AsyncSession, principal: Principal, goal: Goal, body: GoalUpdate) -> Goal:
    changes = body.changes()
    merged = {name: changes.get(name, getattr(goal, name)) for name in ("target_value", "target_max_value")}
    starts_on, due_on = changes.get("starts_on", goal.starts_on), changes.get("due_on", goal.due_on)
    try:
        check_target(goal.metric, goal.test_name, merged["target_value"], merged["target_max_value"])
    except ValueError as exc:
        raise InvalidValue(str(exc).capitalize() + ".", field="target_value") from exc
    if starts_on > due_on:
        raise InvalidValue("A goal starts on or before the day it is due.", field="due_on")
    for name, value in changes.items():
        setattr(goal, name, value)
    await session.flush()
    await outbox.record(session, events.goal_set(goal, principal))
    return goal


async def delete_goal(session: AsyncSession, principal: Principal, goal: Goal) -> None:
    await outbox.record(session, events.goal_removed(goal, principal))
    await repository.remove(session, goal)


async def list_goals(session, principal: Principal, page: PageParams, *, team_id=None, player_id=None):
    return await goals_repository.list_goals(
        session, principal.org_id, list_scope(principal), page, team_id=team_id, player_id=player_id
    )


# --- development plans ----------------------------------------------------------------------------------------------
async def create_development_plan(session, principal: Principal, body: DevelopmentPlanCreate) -> DevelopmentPlan:
    await loaders.managed_team.load(session, principal, body.team_id, field="team_id")
    await _player_of_team(session, principal, body.player_id, body.team_id)
    plan = DevelopmentPlan(id=uuid.uuid4(), org_id=principal.org_id, created_by=principal.user_id, **body.model_dump())
    await repository.add(session, plan)
    await outbox.record(session, events.development_plan_saved(plan, principal))
    return plan


async def update_development_plan(session, principal, plan: DevelopmentPlan, body: DevelopmentPlanUpdate):
    changes = body.changes()
    ends_on = changes.get("ends_on", plan.ends_on)
    if ends_on is not None and ends_on < plan.starts_on:
        raise InvalidValue(f"The plan starts on {plan.starts_on}; it cannot end before that.", field="ends_on")
    for name, value in changes.items():
        setattr(plan, name, value)
    await session.flush()
    await outbox.record(session, events.development_plan_saved(plan, principal))
    return plan


async def review(session, principal: Principal, plan: DevelopmentPlan, body: ReviewCreate) -> DevelopmentReview:
    if body.reviewed_on > principal.today():
        raise InvalidValue("A review is dated on or before today.", field="reviewed_on")
    if body.reviewed_on < plan.starts_on:
        raise InvalidValue(f"The plan starts on {plan.starts_on}; a review comes after that.", field="reviewed_on")
    entry = DevelopmentReview(
        id=uuid.uuid4(),
        org_id=plan.org_id,
        development_plan_id=plan.id,
        author_id=principal.user_id,
        recorded_at=datetime.now(UTC),
        **body.model_dump(),
    )
    await repository.add(session, entry)
    await outbox.record(session, events.development_plan_reviewed(entry, plan, principal))
    return entry


async def development_plan_read(session, plan: DevelopmentPlan) -> DevelopmentPlanRead:
    return DevelopmentPlanRead(
        id=plan.id,
        player_id=plan.player_id,
        team_id=plan.team_id,
        title=plan.title,
        focus_areas=list(plan.focus_areas),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        goals=[GoalRead.model_validate(g) for g in await goals_repository.goals_of_plan(session, plan.id)],
        reviews=[ReviewRead.model_validate(r) for r in await goals_repository.reviews_of(session, plan.id)],
    )


async def list_development_plans(session, principal: Principal, page: PageParams, *, player_id=None):
    return await goals_repository.list_development_plans(
        session, principal.org_id, list_scope(principal), page, player_id=player_id
    )
