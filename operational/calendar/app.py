from __future__ import annotations

from fastapi import FastAPI

from operational.calendar.config import CalendarSettings
from operational.calendar.models import outbox
from operational.calendar.router import router
from operational.kit.app import ServiceParts, create_service_app


def parts() -> ServiceParts:
    return ServiceParts(name="calendar", routers=[router], outbox_table=outbox.table)


def create_app(settings: CalendarSettings | None = None, *, run_relays: bool = False) -> FastAPI:
    return create_service_app(
        settings or CalendarSettings(), [parts()], title="Hockey Hub calendar", run_relays=run_relays
    )
