from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.kit.service import Service
from operational.training.config import TrainingSettings
from operational.training.consumers import HANDLERS
from operational.training.models import outbox
from operational.training.programs.router import programs_router
from operational.training.router import router

SERVICE = Service(
    name="training",
    settings=TrainingSettings,
    routers=(router, programs_router),
    migrations="operational.training:migrations",
    outbox=outbox,
    consumers=HANDLERS,
)


def create_app(settings: TrainingSettings | None = None) -> FastAPI:
    return create_service_app(settings or TrainingSettings(), [SERVICE], title="Hockey Hub training")
