from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from operational.comms.announcements.router import announcements_router
from operational.comms.announcements.service import send_reminders
from operational.comms.config import CommsSettings
from operational.comms.consumers import HANDLERS, PRIVATE_HANDLERS
from operational.comms.conversations.attachments.router import attachments_router
from operational.comms.conversations.router import conversations_router
from operational.comms.conversations.settings.router import settings_router
from operational.comms.dispatch import deliver_pending_push, deliver_pending_sms
from operational.comms.mail.delivery import deliver_pending_mail
from operational.comms.mail.digest import send_digests
from operational.comms.models import outbox
from operational.comms.push.router import push_router
from operational.comms.router import router
from operational.comms.rsvp.service import send_rsvp_reminders
from operational.kit.app import create_service_app
from operational.kit.service import PeriodicJob, Service

SERVICE = Service(
    name="comms",
    settings=CommsSettings,
    routers=(router, conversations_router, announcements_router, attachments_router, settings_router, push_router),
    migrations="operational.comms:migrations",
    outbox=outbox,
    consumers=HANDLERS,
    private_consumers=PRIVATE_HANDLERS,
    jobs=(
        PeriodicJob("send pending e-mail", timedelta(seconds=30), deliver_pending_mail),
        PeriodicJob("send pending web push", timedelta(seconds=30), deliver_pending_push),
        PeriodicJob("send pending SMS", timedelta(seconds=30), deliver_pending_sms),
        PeriodicJob("send the daily digests that are due", timedelta(minutes=15), send_digests),
        PeriodicJob("remind of announcements not acknowledged", timedelta(hours=1), send_reminders),
        PeriodicJob(
            "remind who has not answered an invitation to an event", timedelta(minutes=15), send_rsvp_reminders
        ),
    ),
)


def create_app(settings: CommsSettings | None = None) -> FastAPI:
    return create_service_app(settings or CommsSettings(), [SERVICE], title="Hockey Hub comms")
