"""Treatments and return-to-play protocols of a health problem. Every read and change is in the access log; a stage
change is recorded with who decided it, and availability follows the stage."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue, NotFound
from operational.kit.pagination import PageParams
from operational.medical import access_log, availability, events
from operational.medical.models import HealthProblem, ReturnToPlay, StageChange, Treatment, outbox
from operational.medical.rehab import repository
from operational.medical.rehab.protocols import PROTOCOLS
from operational.medical.rehab.schemas import ReturnToPlayStart, StageDecision, TreatmentCreate


async def add_treatment(
    session: AsyncSession, principal: Principal, problem: HealthProblem, body: TreatmentCreate
) -> Treatment:
    if body.treated_on < problem.onset_date or body.treated_on > principal.today():
        raise InvalidValue("A treatment is dated between the problem's onset and today.", field="treated_on")
    treatment = Treatment(
        id=uuid.uuid4(),
        org_id=problem.org_id,
        problem_id=problem.id,
        player_id=problem.player_id,
        recorded_by=principal.user_id,
        created_at=datetime.now(UTC),
        **body.model_dump(),
    )
    session.add(treatment)
    await session.flush()
    await access_log.record_one(session, principal, "create", "treatment", problem.player_id, treatment.id)
    return treatment


async def list_treatments(
    session: AsyncSession, principal: Principal, problem: HealthProblem, page: PageParams
) -> tuple[list[Treatment], int]:
    items, total = await repository.list_treatments(session, problem.org_id, problem.id, page)
    await access_log.record(session, principal, "read", "treatment", [(t.player_id, t.id) for t in items])
    return items, total


# --- return to play -------------------------------------------------------------------------------------------------
async def start(
    session: AsyncSession, principal: Principal, problem: HealthProblem, body: ReturnToPlayStart
) -> ReturnToPlay:
    if await repository.plan_for(session, problem.org_id, problem.id) is not None:
        raise Conflict("This problem already follows a return-to-play protocol.", field="protocol")
    if problem.return_to_play_date is not None:
        raise Conflict("The player has already returned to play from this problem.", field="protocol")
    now = datetime.now(UTC)
    plan = ReturnToPlay(
        id=uuid.uuid4(),
        org_id=problem.org_id,
        problem_id=problem.id,
        player_id=problem.player_id,
        protocol=body.protocol,
        stage=1,
        stage_entered_at=now,
    )
    session.add(plan)
    await session.flush()
    await _record_change(session, principal, plan, None, "started", body.note, now)
    await availability.refresh(session, principal, problem.org_id, problem.player_id)
    return plan


async def decide(
    session: AsyncSession, principal: Principal, problem: HealthProblem, body: StageDecision
) -> ReturnToPlay:
    plan = await _plan(session, problem)
    if plan.completed_at is not None:
        raise Conflict("The protocol is complete: the player has returned to sport.", field="action")
    protocol = PROTOCOLS[plan.protocol]
    now = datetime.now(UTC)
    previous = plan.stage
    if body.action == "symptoms_returned":
        plan.stage, reason = max(1, plan.stage - 1), "symptoms_returned"
    else:
        earliest = plan.stage_entered_at + protocol.minimum_per_stage
        if now < earliest:
            raise Conflict(
                f"Stage {plan.stage} lasts at least {protocol.minimum_per_stage.total_seconds() / 3600:g} h; the "
                f"player can move on from {earliest.isoformat(timespec='minutes')}.",
                field="action",
            )
        following = protocol.stage(plan.stage + 1)
        if not body.entry_criteria_met:
            raise InvalidValue(
                f"Confirm the entry criteria of stage {following.number} ({following.name}): "
                f"{following.entry_criteria} (entry_criteria_met: true).",
                field="entry_criteria_met",
            )
        plan.stage, reason = following.number, "advanced"
    plan.stage_entered_at = now
    if plan.stage == protocol.last_stage:
        plan.completed_at, reason = now, "completed"
        if problem.return_to_play_date is None:
            problem.return_to_play_date = principal.today()
            problem.updated_at = now
            await outbox.record(session, events.health_problem_recorded(problem, principal))
    await session.flush()
    await _record_change(session, principal, plan, previous, reason, body.note, now)
    await availability.refresh(session, principal, problem.org_id, problem.player_id)
    return plan


async def read(session: AsyncSession, principal: Principal, problem: HealthProblem) -> ReturnToPlay:
    plan = await _plan(session, problem)
    await access_log.record_one(session, principal, "read", "return_to_play", plan.player_id, plan.id)
    return plan


async def _plan(session: AsyncSession, problem: HealthProblem) -> ReturnToPlay:
    plan = await repository.plan_for(session, problem.org_id, problem.id)
    if plan is None:
        raise NotFound("This problem follows no return-to-play protocol; start one first.")
    return plan


async def _record_change(session, principal: Principal, plan: ReturnToPlay, previous, reason, note, now) -> None:
    session.add(
        StageChange(
            id=uuid.uuid4(),
            org_id=plan.org_id,
            return_to_play_id=plan.id,
            from_stage=previous,
            to_stage=plan.stage,
            reason=reason,
            note=note,
            decided_by=principal.user_id,
            decided_at=now,
        )
    )
    await session.flush()
    await access_log.record_one(session, principal, "update", "return_to_play", plan.player_id, plan.id)


async def plan_read(session: AsyncSession, plan: ReturnToPlay) -> dict:
    protocol = PROTOCOLS[plan.protocol]
    finished = plan.completed_at is not None
    return {
        "problem_id": plan.problem_id,
        "player_id": plan.player_id,
        "protocol": plan.protocol,
        "stage": plan.stage,
        "stage_name": protocol.stage(plan.stage).name,
        "stage_entered_at": plan.stage_entered_at,
        "earliest_next_stage_at": None if finished else plan.stage_entered_at + protocol.minimum_per_stage,
        "completed_at": plan.completed_at,
        "history": await repository.stage_history(session, plan.id),
    }
