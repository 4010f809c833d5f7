"""Season plans: the plan and its phases and mesocycles, its weeks (by their Monday), key games' priorities, and the
moves a coach makes (copy a week, apply a mesocycle template, shift the plan). Ids are resolved by loaders.py."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import NotFound
from operational.kit.pagination import PageDep
from operational.planning import repository, service
from operational.planning.loaders import EditablePlan, GameInPath, ReadablePlan, TeamFilter, managed_team
from operational.planning.schemas import (
    KeyGameList,
    KeyGamePriorityWrite,
    KeyGameRead,
    PlanCreate,
    PlanPage,
    PlanRead,
    PlanShift,
    PlanUpdate,
    TemplateApply,
    WeekCopy,
    WeekList,
    WeekRead,
    WeekWrite,
)

router = APIRouter(prefix="/api/v1/planning", tags=["planning"])


async def _weeks(session, user, plan) -> WeekList:
    return WeekList(items=await service.weeks_read(session, user, plan))


def _one_week(weeks: WeekList, week_start: date) -> WeekRead:
    return next(w for w in weeks.items if w.week_start == week_start)


@router.post("/plans", status_code=status.HTTP_201_CREATED, response_model=PlanRead)
async def create_plan(body: PlanCreate, session: SessionDep, user: CurrentUser) -> PlanRead:
    """A team's season plan (coaches and physical trainers of the team, club admins): its dates and, optionally, its
    phases (pre-season, in-season, playoffs, off-season) and mesocycles. One plan per team for any day."""
    await managed_team.load(session, user, body.team_id, field="team_id")
    return service.plan_read(await service.create_plan(session, user, body))


@router.get("/plans", response_model=PlanPage)
async def list_plans(session: SessionDep, user: CurrentUser, page: PageDep, team: TeamFilter) -> PlanPage:
    """The season plans of your teams (the club's for club admins), latest season first."""
    items, total = await service.list_plans(session, user, team.id if team else None, page)
    return PlanPage.of(items, total, page)


@router.get("/plans/{plan_id}", response_model=PlanRead)
async def get_plan(plan: ReadablePlan, session: SessionDep) -> PlanRead:
    """A season plan with its phases and mesocycles: the team's members and club admins may read it."""
    return service.plan_read(await service.structure_of(session, plan))


@router.patch("/plans/{plan_id}", response_model=PlanRead)
async def update_plan(plan: EditablePlan, body: PlanUpdate, session: SessionDep, user: CurrentUser) -> PlanRead:
    """Rename the plan, move its dates, or replace its phases or mesocycles (weeks stay where they are)."""
    return service.plan_read(await service.update_plan(session, user, plan, body))


@router.delete("/plans/{plan_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_plan(plan: EditablePlan, session: SessionDep, user: CurrentUser) -> None:
    """Delete the plan with its phases, mesocycles and weeks."""
    await service.delete_plan(session, user, plan)


@router.post("/plans/{plan_id}/shift", response_model=WeekList)
async def shift_plan(plan: EditablePlan, body: PlanShift, session: SessionDep, user: CurrentUser) -> WeekList:
    """The schedule moved: move a week and every later week (and the mesocycles and phases starting then or later)
    by a number of weeks, later or earlier. Returns the plan's weeks after the move."""
    await service.shift_plan(session, user, plan, body)
    return await _weeks(session, user, plan)


# --- weeks ----------------------------------------------------------------------------------------------------------
@router.get("/plans/{plan_id}/weeks", response_model=WeekList)
async def list_weeks(plan: ReadablePlan, session: SessionDep, user: CurrentUser) -> WeekList:
    """The planned weeks in order: load, sessions, intensity mix, focus, the phase and mesocycle they fall in, the
    key games in them, and whether they are taper weeks (an A game this week or next, a B game this week)."""
    return await _weeks(session, user, plan)


@router.put("/plans/{plan_id}/weeks/{week_start}", response_model=WeekRead)
async def plan_week(
    plan: EditablePlan, week_start: date, body: WeekWrite, session: SessionDep, user: CurrentUser
) -> WeekRead:
    """Plan the week starting on Monday ``week_start`` (replaces what was planned for it)."""
    await service.put_week(session, user, plan, week_start, body)
    return _one_week(await _weeks(session, user, plan), week_start)


@router.delete("/plans/{plan_id}/weeks/{week_start}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_week(plan: EditablePlan, week_start: date, session: SessionDep, user: CurrentUser) -> None:
    """Remove a planned week."""
    week = await repository.get_week(session, plan.id, week_start)
    if week is None:
        raise NotFound("No week is planned on that Monday.")
    await service.delete_week(session, user, plan, week)


@router.post("/plans/{plan_id}/weeks/{week_start}/copy", response_model=WeekRead)
async def copy_week(
    plan: EditablePlan, week_start: date, body: WeekCopy, session: SessionDep, user: CurrentUser
) -> WeekRead:
    """Copy a planned week (load, sessions, intensity mix, focus) onto another week of the plan."""
    week = await repository.get_week(session, plan.id, week_start)
    if week is None:
        raise NotFound("No week is planned on that Monday; plan it first, then copy it.")
    await service.copy_week(session, user, plan, week, body.to_week_start)
    return _one_week(await _weeks(session, user, plan), body.to_week_start)


@router.post("/plans/{plan_id}/mesocycles/{mesocycle_id}/template", response_model=WeekList)
async def apply_template(
    plan: EditablePlan, mesocycle_id: uuid.UUID, body: TemplateApply, session: SessionDep, user: CurrentUser
) -> WeekList:
    """Plan every week of a mesocycle from a template (step_3_1, step_2_1, in_season_maintenance, taper) scaled to a
    base weekly load; weeks already planned in it are replaced."""
    mesocycle = await repository.get_mesocycle(session, plan.id, mesocycle_id)
    if mesocycle is None:
        raise NotFound("No such mesocycle in this plan.")
    await service.apply_template(session, user, plan, mesocycle, body)
    return await _weeks(session, user, plan)


# --- key games ------------------------------------------------------------------------------------------------------
@router.get("/plans/{plan_id}/key-games", response_model=KeyGameList)
async def list_key_games(plan: ReadablePlan, session: SessionDep, user: CurrentUser) -> KeyGameList:
    """The team's games in the plan's dates (from the calendar) with the priority staff gave them."""
    games = await service.key_games(session, user, plan)
    return KeyGameList(items=[service.game_read(game, priority) for game, priority, _day in games])


@router.put("/plans/{plan_id}/key-games/{series_id}", response_model=KeyGameRead)
async def prioritise_game(
    plan: EditablePlan, game: GameInPath, body: KeyGamePriorityWrite, session: SessionDep, user: CurrentUser
) -> KeyGameRead:
    """Rank a game: A (peak for it: the week before tapers), B (a light taper that week) or C (train through)."""
    return await service.prioritise_game(session, user, plan, game, body.priority)
