"""All SQL of the weekly questionnaire and medical staff's tasks."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.medical.models import MedicalTask, OstrcResponse
from operational.medical.policies import ClinicalScope


async def response_for_week(
    session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, week_start: date
) -> OstrcResponse | None:
    return await session.scalar(
        select(OstrcResponse).where(
            OstrcResponse.org_id == org_id,
            OstrcResponse.player_id == player_id,
            OstrcResponse.week_start == week_start,
        )
    )


async def list_responses(
    session: AsyncSession, org_id: uuid.UUID, scope: ClinicalScope, page: PageParams, player_id: uuid.UUID | None
) -> tuple[list[OstrcResponse], int]:
    query = select(OstrcResponse).where(OstrcResponse.org_id == org_id)
    if scope.player_ids is not None:
        query = query.where(OstrcResponse.player_id.in_(scope.player_ids))
    if player_id is not None:
        query = query.where(OstrcResponse.player_id == player_id)
    return await paginate(session, query, page, order_by=(OstrcResponse.week_start.desc(), OstrcResponse.id))


async def get_task(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> MedicalTask | None:
    return await session.scalar(select(MedicalTask).where(MedicalTask.org_id == org_id, MedicalTask.id == task_id))


async def list_tasks(
    session: AsyncSession, org_id: uuid.UUID, page: PageParams, *, open_only: bool
) -> tuple[list[MedicalTask], int]:
    query = select(MedicalTask).where(MedicalTask.org_id == org_id)
    if open_only:
        query = query.where(MedicalTask.done_at.is_(None))
    return await paginate(session, query, page, order_by=(MedicalTask.created_at.desc(), MedicalTask.id))
