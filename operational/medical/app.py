from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.kit.service import Service
from operational.medical.config import MedicalSettings
from operational.medical.consumers import HANDLERS
from operational.medical.documents.router import documents_router
from operational.medical.models import outbox
from operational.medical.ostrc.router import ostrc_router
from operational.medical.rehab.router import rehab_router
from operational.medical.router import router
from operational.medical.service import personal_data

SERVICE = Service(
    name="medical",
    settings=MedicalSettings,
    routers=(router, rehab_router, ostrc_router, documents_router),
    migrations="operational.medical:migrations",
    outbox=outbox,
    consumers=HANDLERS,
    personal_data=personal_data,
)


def create_app(settings: MedicalSettings | None = None) -> FastAPI:
    return create_service_app(settings or MedicalSettings(), [SERVICE], title="Hockey Hub medical")
