"""The weekly OSTRC-H2 questionnaire: answered by the player, or for a minor by a guardian; scored; a newly reported
health problem raises a task on medical staff's list. Answers are clinical: every read and write is logged."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, InvalidValue
from operational.kit.pagination import PageParams
from operational.medical import access_log, loaders, policies
from operational.medical import repository as medical_repository
from operational.medical.models import MedicalTask, OstrcResponse
from operational.medical.ostrc import repository
from operational.medical.ostrc.schemas import PARTICIPATION, REDUCTION, SYMPTOMS, OstrcCreate

RECORD = "ostrc_response"
SUBSTANTIAL_FROM = REDUCTION["moderate"]


def severity_score(body: OstrcCreate) -> int:
    return (
        PARTICIPATION[body.participation]
        + REDUCTION[body.training_volume]
        + REDUCTION[body.performance]
        + SYMPTOMS[body.symptoms]
    )


def is_substantial(body: OstrcCreate) -> bool:
    """Clarsen et al. 2020: a moderate or greater reduction in training volume or in performance, or unable to take
    part at all."""
    return (
        body.participation == "could_not_participate"
        or REDUCTION[body.training_volume] >= SUBSTANTIAL_FROM
        or REDUCTION[body.performance] >= SUBSTANTIAL_FROM
    )


def _check(body: OstrcCreate) -> None:
    healthy = body.participation == "full_without_health_problem"
    answered = (body.training_volume, body.performance, body.symptoms) != ("none", "none", "none")
    if healthy and (answered or body.problem_kind is not None or body.new_problem):
        raise InvalidValue(
            "With full participation and no health problem (Q1), the other answers are 'none' and no problem is named.",
            field="participation",
        )
    if not healthy and body.problem_kind is None:
        raise InvalidValue("Say whether the health problem is an injury or an illness.", field="problem_kind")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def _answering_for(session: AsyncSession, principal: Principal, player_id: uuid.UUID | None) -> uuid.UUID:
    if player_id is not None:
        await loaders.player_loader.load(session, principal, player_id, field="player_id")
        if player_id in principal.guardian_of or (player_id == principal.user_id and principal.has_any_role("player")):
            return player_id
        raise Forbidden("You answer for yourself (or a minor you are guardian of) only.", field="player_id")
    if principal.has_any_role("player"):
        return principal.user_id
    if principal.guardian_of:
        raise InvalidValue("Say which player you answer for (player_id).", field="player_id")
    raise Forbidden("Only players (or a guardian, for their minor) answer the questionnaire.", field="player_id")


async def submit(session: AsyncSession, principal: Principal, body: OstrcCreate) -> OstrcResponse:
    player_id = await _answering_for(session, principal, body.player_id)
    _check(body)
    today = principal.today()
    week = _monday(body.week_start or today)
    if week > today or week < _monday(today) - timedelta(weeks=4):
        raise InvalidValue("Answer for this week or one of the four before it.", field="week_start")
    if await repository.response_for_week(session, principal.org_id, player_id, week) is not None:
        raise Conflict(f"The week of {week} is already answered for this player.", field="week_start")
    now = datetime.now(UTC)
    response = OstrcResponse(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        player_id=player_id,
        week_start=week,
        answers={name: getattr(body, name) for name in ("participation", "training_volume", "performance", "symptoms")},
        problem_kind=body.problem_kind,
        severity_score=severity_score(body),
        substantial=is_substantial(body),
        answered_by=principal.user_id,
        submitted_at=now,
    )
    session.add(response)
    await session.flush()
    await access_log.record_one(session, principal, "create", RECORD, player_id, response.id)
    if body.problem_kind is not None and (
        body.new_problem or not await medical_repository.open_problems(session, principal.org_id, player_id, today)
    ):
        session.add(
            MedicalTask(
                id=uuid.uuid4(),
                org_id=principal.org_id,
                player_id=player_id,
                kind="ostrc_new_problem",
                response_id=response.id,
                created_at=now,
            )
        )
        await session.flush()
    return response


async def list_responses(
    session: AsyncSession, principal: Principal, page: PageParams, player_id: uuid.UUID | None
) -> tuple[list[OstrcResponse], int]:
    scope = policies.clinical_scope(principal)
    items, total = await repository.list_responses(session, principal.org_id, scope, page, player_id)
    await access_log.record(session, principal, "read", RECORD, [(r.player_id, r.id) for r in items])
    return items, total


async def list_tasks(
    session: AsyncSession, principal: Principal, page: PageParams, open_only: bool
) -> tuple[list[MedicalTask], int]:
    if not policies.is_medical_staff(principal):
        raise Forbidden("The task list is medical staff's.")
    return await repository.list_tasks(session, principal.org_id, page, open_only=open_only)


async def complete_task(session: AsyncSession, principal: Principal, task: MedicalTask) -> MedicalTask:
    if task.done_at is None:
        task.done_at, task.done_by = datetime.now(UTC), principal.user_id
        await session.flush()
    return task
