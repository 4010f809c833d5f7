"""The weekly health questionnaire (OSTRC-H2) and medical staff's task list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.medical.loaders import ClinicalPlayerFilter, TaskInPath
from operational.medical.ostrc import service
from operational.medical.ostrc.schemas import OstrcCreate, OstrcPage, OstrcRead, TaskPage, TaskRead

ostrc_router = APIRouter(prefix="/api/v1/medical", tags=["medical"])


@ostrc_router.post("/ostrc", status_code=status.HTTP_201_CREATED, response_model=OstrcRead)
async def submit_ostrc(body: OstrcCreate, session: SessionDep, user: CurrentUser) -> OstrcRead:
    """The week's four questions, by the player or, for a minor, a guardian who names them. The answers are scored
    (0–100) and a substantial problem flagged; a newly reported problem goes on medical staff's task list."""
    return OstrcRead.model_validate(await service.submit(session, user, body))


@ostrc_router.get("/ostrc", response_model=OstrcPage)
async def list_ostrc(session: SessionDep, user: CurrentUser, page: PageDep, player: ClinicalPlayerFilter) -> OstrcPage:
    """Answers, newest week first: your own (and your minor's); medical staff see the club's."""
    items, total = await service.list_responses(session, user, page, player.id if player else None)
    return OstrcPage.of(items, total, page)


@ostrc_router.get("/tasks", response_model=TaskPage)
async def list_tasks(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    open_only: Annotated[bool, Query(alias="open", description="Only tasks not done yet")] = True,
) -> TaskPage:
    """Medical staff: players who reported a new health problem in the weekly questionnaire, to follow up."""
    items, total = await service.list_tasks(session, user, page, open_only)
    return TaskPage.of(items, total, page)


@ostrc_router.post("/tasks/{task_id}/done", response_model=TaskRead)
async def complete_task(task: TaskInPath, session: SessionDep, user: CurrentUser) -> TaskRead:
    """Medical staff: the task is done."""
    return TaskRead.model_validate(await service.complete_task(session, user, task))
