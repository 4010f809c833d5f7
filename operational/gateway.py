"""All operational services in one ASGI app, each under /api/v1/<service> (the embedded default): every service in
the registry (operational/registry.py) is mounted.

The gateway's settings are the users service's (it signs tokens); the shared fields are the same for every service.
"""

from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.registry import SERVICES
from operational.users.config import UsersSettings


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    return create_service_app(settings or UsersSettings(), SERVICES, title="Hockey Hub")
