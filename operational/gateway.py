"""All operational services in one ASGI app, each under /api/v1/<service> (the embedded default): every service in
the registry (operational/registry.py) is mounted. Or one service alone (``hub serve <service>``: one container per
service behind a reverse proxy, docker-compose.yml).

The gateway's settings are the users service's (it signs tokens); the shared fields are the same for every service.
"""

from __future__ import annotations

from fastapi import FastAPI

from operational.kit.app import create_service_app
from operational.kit.config import HubSettings, for_service
from operational.registry import SERVICES
from operational.users.config import UsersSettings


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    return create_service_app(settings or UsersSettings(), SERVICES, title="Hockey Hub")


def api_service_names() -> list[str]:
    """The registered services that have an API (``hub serve <name>`` runs each alone), in registry order."""
    return [service.name for service in SERVICES if service.routers]


def create_one_service_app(name: str, settings: HubSettings | None = None) -> FastAPI:
    """The API of the registered service ``name`` alone, with that service's settings class (from the environment;
    the shared fields from ``settings`` when given); the same routers, health checks and middleware as in the
    gateway.

    Raises KeyError for a name that is not a registered service with an API."""
    service = next((s for s in SERVICES if s.name == name and s.routers), None)
    if service is None:
        raise KeyError(f"no registered service with an API is called {name!r}: {', '.join(api_service_names())}")
    own = for_service(service.settings, settings) if settings is not None else service.settings()
    return create_service_app(own, [service], title=f"Hockey Hub {name}")
