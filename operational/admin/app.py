from __future__ import annotations

from fastapi import FastAPI

from operational.admin.config import AdminSettings
from operational.admin.models import outbox
from operational.admin.router import router
from operational.kit.app import create_service_app
from operational.kit.service import Service

SERVICE = Service(
    name="admin",
    settings=AdminSettings,
    routers=(router,),
    migrations="operational.admin:migrations",
    outbox=outbox,
)


def create_app(settings: AdminSettings | None = None) -> FastAPI:
    return create_service_app(settings or AdminSettings(), [SERVICE], title="Hockey Hub admin")
