from __future__ import annotations

from fastapi import APIRouter, Response, status

from operational.admin import service
from operational.admin.schemas import PageViewCreate
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep

router = APIRouter(prefix="/api/v1/admin", tags=["admin: usage"])


@router.post("/usage/page-views", status_code=status.HTTP_204_NO_CONTENT)
async def record_page_view(body: PageViewCreate, session: SessionDep, user: CurrentUser) -> Response:
    """Anyone signed in: the dashboards say which page you opened, so usage reports count it."""
    await service.record_page_view(session, user, body.page)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
