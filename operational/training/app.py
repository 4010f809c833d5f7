from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import ServiceParts, create_service_app
from operational.training.config import TrainingSettings
from operational.training.models import outbox
from operational.training.programs.router import programs_router
from operational.training.router import router


def parts() -> ServiceParts:
    return ServiceParts(name="training", routers=[router, programs_router], outbox_table=outbox.table)


def create_app(settings: TrainingSettings | None = None, *, run_relays: bool = False) -> FastAPI:
    return create_service_app(
        settings or TrainingSettings(), [parts()], title="Hockey Hub training", run_relays=run_relays
    )
