from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.kit.service import Service
from operational.planning.config import PlanningSettings
from operational.planning.consumers import HANDLERS
from operational.planning.goals.router import goals_router
from operational.planning.models import outbox
from operational.planning.router import router

SERVICE = Service(
    name="planning",
    settings=PlanningSettings,
    routers=(router, goals_router),
    migrations="operational.planning:migrations",
    outbox=outbox,
    consumers=HANDLERS,
)


def create_app(settings: PlanningSettings | None = None) -> FastAPI:
    return create_service_app(settings or PlanningSettings(), [SERVICE], title="Hockey Hub planning")
