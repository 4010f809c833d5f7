"""Rehab plans: one per health problem, written by medical staff from the club's training exercise library (each
exercise id checked against it), read by medical staff, the player and a minor's guardian. Every read and change is
in the access log."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue, NotFound
from operational.medical import access_log
from operational.medical.models import HealthProblem, RehabPlan
from operational.medical.rehab.exercises import exercise_loader, known_exercises
from operational.medical.rehab.schemas import PlanExercise, RehabPlanCreate, RehabPlanUpdate

RECORD = "rehab_plan"


async def create(session: AsyncSession, principal: Principal, problem: HealthProblem, body: RehabPlanCreate) -> dict:
    if await _plan_of(session, problem) is not None:
        raise Conflict("This problem already has a rehab plan; change it instead.", field="exercises")
    _check_dates(problem, body.starts_on, body.ends_on)
    now = datetime.now(UTC)
    plan = RehabPlan(
        id=uuid.uuid4(),
        org_id=problem.org_id,
        problem_id=problem.id,
        player_id=problem.player_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        goal=body.goal,
        exercises=await _checked_exercises(session, principal, body.exercises),
        created_by=principal.user_id,
        created_at=now,
        updated_by=principal.user_id,
        updated_at=now,
    )
    session.add(plan)
    await session.flush()
    await access_log.record_one(session, principal, "create", RECORD, plan.player_id, plan.id)
    return await _shown(session, plan)


async def read(session: AsyncSession, principal: Principal, problem: HealthProblem) -> dict:
    plan = await _existing_plan(session, problem)
    await access_log.record_one(session, principal, "read", RECORD, plan.player_id, plan.id)
    return await _shown(session, plan)


async def change(session: AsyncSession, principal: Principal, problem: HealthProblem, body: RehabPlanUpdate) -> dict:
    changes = body.changes()
    if "exercises" in changes:  # first: an exercise id is refused the same way whether or not there is a plan
        changes["exercises"] = await _checked_exercises(session, principal, body.exercises)
    plan = await _existing_plan(session, problem)
    _check_dates(problem, changes.get("starts_on", plan.starts_on), changes.get("ends_on", plan.ends_on))
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.updated_by, plan.updated_at = principal.user_id, datetime.now(UTC)
    await session.flush()
    await access_log.record_one(session, principal, "update", RECORD, plan.player_id, plan.id)
    return await _shown(session, plan)


async def remove(session: AsyncSession, principal: Principal, problem: HealthProblem) -> None:
    plan = await _existing_plan(session, problem)
    await access_log.record_one(session, principal, "delete", RECORD, plan.player_id, plan.id)
    await session.delete(plan)
    await session.flush()


def _check_dates(problem: HealthProblem, starts_on: date, ends_on: date | None) -> None:
    if starts_on < problem.onset_date:
        raise InvalidValue("A rehab plan starts on or after the problem's onset.", field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidValue("A rehab plan ends on or after the day it starts.", field="ends_on")


async def _checked_exercises(session: AsyncSession, principal: Principal, items: list[PlanExercise]) -> list[dict]:
    """The plan's exercises as stored, each one looked up in the club's library (not there: 404 naming the item)."""
    stored = []
    for index, item in enumerate(items):
        exercise = await exercise_loader.load(session, principal, item.exercise_id, field=f"exercises.{index}")
        stored.append({**item.model_dump(mode="json"), "name": exercise.name, "category": exercise.category})
    return stored


async def _plan_of(session: AsyncSession, problem: HealthProblem) -> RehabPlan | None:
    return await session.scalar(
        select(RehabPlan).where(RehabPlan.org_id == problem.org_id, RehabPlan.problem_id == problem.id)
    )


async def _existing_plan(session: AsyncSession, problem: HealthProblem) -> RehabPlan:
    plan = await _plan_of(session, problem)
    if plan is None:
        raise NotFound("This problem has no rehab plan yet; medical staff can write one.")
    return plan


async def _shown(session: AsyncSession, plan: RehabPlan) -> dict:
    """The plan as read: each exercise under its current name in the library (the saved one if it has gone)."""
    library = await known_exercises(session, plan.org_id, (uuid.UUID(e["exercise_id"]) for e in plan.exercises))
    exercises = []
    for item in plan.exercises:
        current = library.get(uuid.UUID(item["exercise_id"]))
        exercises.append(
            {
                **{key: value for key, value in item.items() if key not in ("name", "category")},
                "exercise_name": current.name if current else item["name"],
                "category": current.category if current else item["category"],
            }
        )
    columns = ("id", "problem_id", "player_id", "starts_on", "ends_on", "goal", "created_by", "created_at",
               "updated_by", "updated_at")  # fmt: skip
    return {name: getattr(plan, name) for name in columns} | {"exercises": exercises}
