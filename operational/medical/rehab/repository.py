"""All SQL of treatments and return to play."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.medical.models import ReturnToPlay, StageChange, Treatment


async def list_treatments(
    session: AsyncSession, org_id: uuid.UUID, problem_id: uuid.UUID, page: PageParams
) -> tuple[list[Treatment], int]:
    query = select(Treatment).where(Treatment.org_id == org_id, Treatment.problem_id == problem_id)
    return await paginate(session, query, page, order_by=(Treatment.treated_on.desc(), Treatment.id))


async def plan_for(session: AsyncSession, org_id: uuid.UUID, problem_id: uuid.UUID) -> ReturnToPlay | None:
    return await session.scalar(
        select(ReturnToPlay).where(ReturnToPlay.org_id == org_id, ReturnToPlay.problem_id == problem_id)
    )


async def plans_for(session: AsyncSession, org_id: uuid.UUID, problem_ids) -> dict[uuid.UUID, ReturnToPlay]:
    if not problem_ids:
        return {}
    rows = await session.scalars(
        select(ReturnToPlay).where(ReturnToPlay.org_id == org_id, ReturnToPlay.problem_id.in_(problem_ids))
    )
    return {plan.problem_id: plan for plan in rows}


async def stage_history(session: AsyncSession, plan_id: uuid.UUID) -> list[StageChange]:
    rows = await session.scalars(
        select(StageChange)
        .where(StageChange.return_to_play_id == plan_id)
        .order_by(StageChange.decided_at, StageChange.id)
    )
    return list(rows)
