from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.kit.service import PeriodicJob, Service
from operational.payments.config import PaymentsSettings
from operational.payments.consumers import HANDLERS
from operational.payments.models import outbox
from operational.payments.reminders import send_due_reminders
from operational.payments.router import router
from operational.payments.transfers.router import router as transfers_router
from operational.payments.transfers.service import resume_transfers

SERVICE = Service(
    name="payments",
    settings=PaymentsSettings,
    routers=(router, transfers_router),
    migrations="operational.payments:migrations",
    outbox=outbox,
    consumers=HANDLERS,
    jobs=(
        PeriodicJob("send payment reminders that are due", timedelta(hours=1), send_due_reminders),
        PeriodicJob("resume player transfers a stopped worker left half way", timedelta(minutes=1), resume_transfers),
    ),
)


def create_app(settings: PaymentsSettings | None = None) -> FastAPI:
    return create_service_app(settings or PaymentsSettings(), [SERVICE], title="Hockey Hub payments")
