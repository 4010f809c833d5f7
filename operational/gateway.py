"""All operational services in one ASGI app, each under /api/v1/<service> (the embedded default).

The gateway's settings are the users service's (it signs tokens); the shared fields are the same for every service.
"""

from __future__ import annotations

from fastapi import FastAPI

from operational.calendar.app import parts as calendar_parts
from operational.kit.app import create_service_app
from operational.training.app import parts as training_parts
from operational.users.app import parts as users_parts
from operational.users.config import UsersSettings


def create_app(settings: UsersSettings | None = None, *, run_relays: bool = False) -> FastAPI:
    return create_service_app(
        settings or UsersSettings(),
        [users_parts(), training_parts(), calendar_parts()],
        title="Hockey Hub",
        run_relays=run_relays,
    )
