"""All SQL of the training service."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.training.models import SessionRpeLog
from operational.training.policies import ListScope


async def add_rpe_log(session: AsyncSession, log: SessionRpeLog) -> SessionRpeLog:
    session.add(log)
    await session.flush()
    return log


async def get_rpe_log(session: AsyncSession, log_id: uuid.UUID) -> SessionRpeLog | None:
    return await session.get(SessionRpeLog, log_id)


def _rpe_logs_query(
    org_id: uuid.UUID,
    *,
    scope: ListScope,
    player_id: uuid.UUID | None,
    date_from: date | None,
    date_to: date | None,
) -> Select:
    query = select(SessionRpeLog).where(SessionRpeLog.org_id == org_id)
    if scope.team_ids is not None:
        query = query.where(
            or_(SessionRpeLog.player_id.in_(scope.player_ids), SessionRpeLog.team_id.in_(scope.team_ids))
        )
    if player_id is not None:
        query = query.where(SessionRpeLog.player_id == player_id)
    if date_from is not None:
        query = query.where(SessionRpeLog.session_date >= date_from)
    if date_to is not None:
        query = query.where(SessionRpeLog.session_date <= date_to)
    return query


async def list_rpe_logs(
    session: AsyncSession, org_id: uuid.UUID, *, limit: int, offset: int, **filters
) -> tuple[list[SessionRpeLog], int]:
    query = _rpe_logs_query(org_id, **filters)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(SessionRpeLog.session_date.desc(), SessionRpeLog.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total or 0
