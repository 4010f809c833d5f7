from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import ServiceParts, create_service_app
from operational.users.auth_router import auth_router, keys_router
from operational.users.config import UsersSettings
from operational.users.models import outbox
from operational.users.router import orgs_router, teams_router, users_router


def parts() -> ServiceParts:
    return ServiceParts(
        name="users",
        routers=[auth_router, keys_router, users_router, teams_router, orgs_router],
        outbox_table=outbox.table,
    )


def create_app(settings: UsersSettings | None = None, *, run_relays: bool = False) -> FastAPI:
    return create_service_app(settings or UsersSettings(), [parts()], title="Hockey Hub users", run_relays=run_relays)
