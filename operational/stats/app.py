"""The stats API: read-only, over the serving copy of the marts (snapshot files, or the warehouse's ``serving`` schema
when HUB_WAREHOUSE_URL names a Postgres warehouse); needs NATS only to hear of ended sessions.

Run with ``uvicorn operational.stats.app:create_app --factory``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request

from messaging.logs import configure_logging
from operational.kit.app import base_app, health_router, nats_in_background
from operational.stats.attendance.router import router as attendance_router
from operational.stats.availability.router import router as availability_router
from operational.stats.compliance.router import router as compliance_router
from operational.stats.config import StatsSettings
from operational.stats.finance.router import router as finance_router
from operational.stats.planning.router import router as planning_router
from operational.stats.router import router
from operational.stats.surveillance.router import router as surveillance_router
from operational.stats.usage.router import router as usage_router
from warehouse.port import open_warehouse


async def snapshot_ready(request: Request) -> dict[str, str]:
    if await asyncio.to_thread(open_warehouse(request.app.state.settings).serving_published_at) is None:
        return {"snapshot": "unavailable: no snapshot yet; the first pipeline run publishes one"}
    return {"snapshot": "ok"}


def create_app(settings: StatsSettings | None = None) -> FastAPI:
    settings = settings or StatsSettings()
    configure_logging(settings.log_level, settings.log_json)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Snapshot files read-only following the pointer, or a pool on the serving schema: the pipeline's writer is
        # never locked out, and no reader ever sees a half build.
        app.state.snapshots = open_warehouse(settings).reader()
        try:
            # NATS only tells this API of ended sessions; statistics are served whether it is up or not
            async with nats_in_background(app, settings):
                yield
        finally:
            app.state.snapshots.close()

    app = base_app(settings, title="Hockey Hub statistics", lifespan=lifespan)
    app.include_router(router)
    app.include_router(attendance_router)
    app.include_router(compliance_router)
    app.include_router(availability_router)
    app.include_router(surveillance_router)
    app.include_router(planning_router)
    app.include_router(usage_router)
    app.include_router(finance_router)
    app.include_router(health_router(readiness=snapshot_ready))
    return app
