from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.kit.service import PeriodicJob, Service
from operational.users import housekeeping
from operational.users.auth_router import auth_router, keys_router
from operational.users.clubs.router import clubs_router, configuration_router
from operational.users.config import UsersSettings
from operational.users.models import outbox, private_outbox
from operational.users.router import orgs_router, teams_router, users_router

SERVICE = Service(
    name="users",
    settings=UsersSettings,
    routers=(auth_router, keys_router, users_router, teams_router, orgs_router, clubs_router, configuration_router),
    migrations="operational.users:migrations",
    outbox=outbox,
    private_outbox=private_outbox,
    jobs=(PeriodicJob("end the guardian links of athletes who turned 18", timedelta(hours=1), housekeeping.run_once),),
)


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    return create_service_app(settings or UsersSettings(), [SERVICE], title="Hockey Hub users")
