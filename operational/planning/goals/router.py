"""Goals for a team or a player, and players' development plans with their reviews. Ids are resolved by the
planning loaders (another club's: 404; one the caller may not see: 403)."""

from __future__ import annotations

from fastapi import APIRouter, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.planning.goals import service
from operational.planning.goals.schemas import (
    DevelopmentPlanCreate,
    DevelopmentPlanPage,
    DevelopmentPlanRead,
    DevelopmentPlanUpdate,
    GoalCreate,
    GoalPage,
    GoalRead,
    GoalUpdate,
    ReviewCreate,
    ReviewRead,
)
from operational.planning.loaders import (
    EditableDevelopmentPlan,
    EditableGoal,
    PlayerFilter,
    ReadableDevelopmentPlan,
    ReadableGoal,
    TeamFilter,
)

goals_router = APIRouter(prefix="/api/v1/planning", tags=["planning"])


@goals_router.post("/goals", status_code=status.HTTP_201_CREATED, response_model=GoalRead)
async def create_goal(body: GoalCreate, session: SessionDep, user: CurrentUser) -> GoalRead:
    """A goal for a team, or one of its players, that the warehouse measures: a test result (e.g. '1RM back squat'
    at least 100 by a date), attendance or wellness compliance in percent, or a weekly load range in AU. Its
    progress is computed from what players log (stats API), never typed."""
    return GoalRead.model_validate(await service.create_goal(session, user, body))


@goals_router.get("/goals", response_model=GoalPage)
async def list_goals(
    session: SessionDep, user: CurrentUser, page: PageDep, team: TeamFilter, player: PlayerFilter
) -> GoalPage:
    """Your own goals (and your minor's) and your teams' team goals; staff see every goal of their teams, club admins
    the club's. Soonest due first."""
    items, total = await service.list_goals(
        session, user, page, team_id=team.id if team else None, player_id=player.id if player else None
    )
    return GoalPage.of(items, total, page)


@goals_router.get("/goals/{goal_id}", response_model=GoalRead)
async def get_goal(goal: ReadableGoal) -> GoalRead:
    """One goal: the player and their guardian, the team's staff and club admins (a team goal: the team's members)."""
    return GoalRead.model_validate(goal)


@goals_router.patch("/goals/{goal_id}", response_model=GoalRead)
async def update_goal(goal: EditableGoal, body: GoalUpdate, session: SessionDep, user: CurrentUser) -> GoalRead:
    """Change a goal's title, target or dates (the team's staff)."""
    return GoalRead.model_validate(await service.update_goal(session, user, goal, body))


@goals_router.delete("/goals/{goal_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_goal(goal: EditableGoal, session: SessionDep, user: CurrentUser) -> None:
    """Remove a goal (the team's staff); its progress no longer shows."""
    await service.delete_goal(session, user, goal)


@goals_router.post("/development-plans", status_code=status.HTTP_201_CREATED, response_model=DevelopmentPlanRead)
async def create_development_plan(
    body: DevelopmentPlanCreate, session: SessionDep, user: CurrentUser
) -> DevelopmentPlanRead:
    """A player's development plan (staff of the player's team): title, focus areas and dates. Tie goals to it by
    naming it when setting a goal."""
    plan = await service.create_development_plan(session, user, body)
    return await service.development_plan_read(session, plan)


@goals_router.get("/development-plans", response_model=DevelopmentPlanPage)
async def list_development_plans(
    session: SessionDep, user: CurrentUser, page: PageDep, player: PlayerFilter
) -> DevelopmentPlanPage:
    """Your own development plans (and your minor's); staff see their teams' players', club admins the club's."""
    items, total = await service.list_development_plans(session, user, page, player_id=player.id if player else None)
    return DevelopmentPlanPage.of(items, total, page)


@goals_router.get("/development-plans/{development_plan_id}", response_model=DevelopmentPlanRead)
async def get_development_plan(plan: ReadableDevelopmentPlan, session: SessionDep) -> DevelopmentPlanRead:
    """The plan with its goals and reviews: the player, their guardian, their team's staff and club admins."""
    return await service.development_plan_read(session, plan)


@goals_router.patch("/development-plans/{development_plan_id}", response_model=DevelopmentPlanRead)
async def update_development_plan(
    plan: EditableDevelopmentPlan, body: DevelopmentPlanUpdate, session: SessionDep, user: CurrentUser
) -> DevelopmentPlanRead:
    """Change the plan's title, focus areas or end (staff of the player's team)."""
    plan = await service.update_development_plan(session, user, plan, body)
    return await service.development_plan_read(session, plan)


@goals_router.post(
    "/development-plans/{development_plan_id}/reviews", status_code=status.HTTP_201_CREATED, response_model=ReviewRead
)
async def review_development_plan(
    plan: EditableDevelopmentPlan, body: ReviewCreate, session: SessionDep, user: CurrentUser
) -> ReviewRead:
    """Record a review (its date, what it found, next steps); its author is you."""
    return ReviewRead.model_validate(await service.review(session, user, plan, body))
