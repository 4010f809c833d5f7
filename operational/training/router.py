from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import HubError
from operational.kit.pagination import DateRangeDep, PageDep
from operational.training import repository, service, wellness
from operational.training.schemas import (
    PhysicalTestCreate,
    PhysicalTestRead,
    RpeLogCreate,
    RpeLogPage,
    RpeLogRead,
    TeamSettingsRead,
    TeamSettingsUpdate,
    TestResultCreate,
    TestResultPage,
    TestResultRead,
    WellnessCreate,
    WellnessPage,
    WellnessRead,
)

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


@router.post("/wellness", status_code=status.HTTP_201_CREATED, response_model=WellnessRead)
async def submit_wellness(body: WellnessCreate, session: SessionDep, user: CurrentUser) -> WellnessRead:
    """Today's wellness questionnaire (the team's instrument: Hooper 1–7 or McLean 1–5) and sleep hours. Answering
    again the same day replaces the day's answers."""
    return WellnessRead.model_validate(await wellness.submit_wellness(session, user, body))


@router.get("/wellness", response_model=WellnessPage)
async def list_wellness(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    dates: DateRangeDep,
    player_id: uuid.UUID | None = None,
) -> WellnessPage:
    items, total = await wellness.list_wellness(
        session,
        user,
        player_id=player_id,
        date_from=dates.date_from,
        date_to=dates.date_to,
        limit=page.limit,
        offset=page.offset,
    )
    return WellnessPage(
        items=[WellnessRead.model_validate(i) for i in items], total=total, limit=page.limit, offset=page.offset
    )


@router.put("/teams/{team_id}/settings", response_model=TeamSettingsRead)
async def team_settings(
    team_id: uuid.UUID, body: TeamSettingsUpdate, session: SessionDep, user: CurrentUser
) -> TeamSettingsRead:
    setting = await wellness.set_team_instrument(session, user, team_id, body.wellness_instrument)
    return TeamSettingsRead.model_validate(setting)


@router.get("/tests", response_model=list[PhysicalTestRead])
async def list_tests(session: SessionDep, user: CurrentUser) -> list[PhysicalTestRead]:
    return [PhysicalTestRead.model_validate(t) for t in await repository.list_physical_tests(session, user.org_id)]


@router.post("/tests", status_code=status.HTTP_201_CREATED, response_model=PhysicalTestRead)
async def create_test(body: PhysicalTestCreate, session: SessionDep, user: CurrentUser) -> PhysicalTestRead:
    return PhysicalTestRead.model_validate(await wellness.create_physical_test(session, user, body))


@router.post("/tests/{test_id}/results", status_code=status.HTTP_201_CREATED, response_model=TestResultRead)
async def record_result(
    test_id: uuid.UUID, body: TestResultCreate, session: SessionDep, user: CurrentUser
) -> TestResultRead:
    return TestResultRead.model_validate(await wellness.record_result(session, user, test_id, body))


@router.get("/tests/{test_id}/results", response_model=TestResultPage)
async def list_results(
    test_id: uuid.UUID, session: SessionDep, user: CurrentUser, page: PageDep, player_id: uuid.UUID | None = None
) -> TestResultPage:
    items, total = await wellness.list_results(
        session, user, test_id, player_id=player_id, limit=page.limit, offset=page.offset
    )
    return TestResultPage(
        items=[TestResultRead.model_validate(i) for i in items], total=total, limit=page.limit, offset=page.offset
    )
