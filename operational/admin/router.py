from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from operational.admin import service
from operational.admin.schemas import PageViewCreate, SystemStatusRead
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep

router = APIRouter(prefix="/api/v1/admin", tags=["admin: usage"])


@router.post("/usage/page-views", status_code=status.HTTP_204_NO_CONTENT)
async def record_page_view(body: PageViewCreate, session: SessionDep, user: CurrentUser) -> Response:
    """Anyone signed in: the dashboards say which page you opened, so usage reports count it."""
    await service.record_page_view(session, user, body.page)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/status", response_model=SystemStatusRead)
async def system_status(request: Request, session: SessionDep, user: CurrentUser) -> SystemStatusRead:
    """Club and platform admins: component health, the serving snapshot's age, events waiting in each service's
    outbox and for each consumer of the stream, and dead letters (with their reasons, for platform admins), each
    figure with the moment it was measured."""
    # imported here: the warehouse engines (DuckDB, Polars) would add ~90 MiB to every API and worker process
    from warehouse.port import open_warehouse

    settings = request.app.state.settings
    return await service.system_status(session, user, request.app.state.nats, open_warehouse(settings))
