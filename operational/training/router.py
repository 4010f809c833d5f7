from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import HubError
from operational.kit.pagination import PageDep
from operational.training import service
from operational.training.schemas import RpeLogCreate, RpeLogPage, RpeLogRead

router = APIRouter(prefix="/api/v1/training", tags=["training"])


@router.post("/rpe-logs", status_code=status.HTTP_201_CREATED, response_model=RpeLogRead)
async def log_session_rpe(body: RpeLogCreate, session: SessionDep, user: CurrentUser) -> RpeLogRead:
    """Log a session's RPE (CR-10) and duration; its load (RPE × minutes) reaches the statistics in seconds."""
    return RpeLogRead.model_validate(await service.log_session_rpe(session, user, body))


@router.get("/rpe-logs", response_model=RpeLogPage)
async def list_rpe_logs(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    player_id: uuid.UUID | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> RpeLogPage:
    """Your own logs; coaches and physical trainers also see their teams', club admins the whole club's."""
    if date_from and date_to and date_from > date_to:
        raise HubError("'from' must be on or before 'to'.", field="from")
    items, total = await service.list_rpe_logs(
        session,
        user,
        player_id=player_id,
        date_from=date_from,
        date_to=date_to,
        limit=page.limit,
        offset=page.offset,
    )
    return RpeLogPage(
        items=[RpeLogRead.model_validate(i) for i in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/rpe-logs/{log_id}", response_model=RpeLogRead)
async def get_rpe_log(log_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> RpeLogRead:
    return RpeLogRead.model_validate(await service.get_rpe_log(session, user, log_id))
