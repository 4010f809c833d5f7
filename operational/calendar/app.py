from __future__ import annotations

from fastapi import FastAPI

from operational.calendar.config import CalendarSettings
from operational.calendar.consumers import HANDLERS
from operational.calendar.models import outbox
from operational.calendar.router import router
from operational.kit.app import create_service_app
from operational.kit.service import Service

SERVICE = Service(
    name="calendar",
    settings=CalendarSettings,
    routers=(router,),
    migrations="operational.calendar:migrations",
    outbox=outbox,
    consumers=HANDLERS,
)


def create_app(settings: CalendarSettings | None = None) -> FastAPI:
    return create_service_app(settings or CalendarSettings(), [SERVICE], title="Hockey Hub calendar")
