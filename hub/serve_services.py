"""``hub serve <service>``: one registered service's API alone, for one container per service behind a proxy.

The names come from the service registry (operational/registry.py), looked up only when a name is not one of
``hub serve``'s own commands (gateway, stats, dashboards), so the rest of the command line never imports every
service."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

# the environment variable uvicorn's factory reads to know which service to build (one process, one service)
SERVICE_VARIABLE = "HUB_SERVE_SERVICE"
SERVICE_FACTORY = "hub.serve_services:create_app_from_environment"


def _api_service_names() -> list[str]:
    from operational.gateway import api_service_names

    return api_service_names()


def create_app_from_environment():
    """uvicorn's factory for ``hub serve <service>``: the API of the service named in HUB_SERVE_SERVICE."""
    import os

    from operational.gateway import create_one_service_app

    return create_one_service_app(os.environ[SERVICE_VARIABLE])


def _service_command(name: str):
    def serve(
        host: str = typer.Option(None, help="Address to listen on [default: HUB_BIND_HOST or 127.0.0.1]"),
        port: int = typer.Option(None, help="Port [default: HUB_GATEWAY_PORT or 8700]"),
        workers: int = typer.Option(
            None, min=1, help="Worker processes [default: HUB_API_WORKERS, or one per core]", show_default=False
        ),
    ) -> None:
        import os

        from hub.cli import _serve_asgi
        from hub.settings import RuntimeSettings

        os.environ[SERVICE_VARIABLE] = name
        _serve_asgi(
            SERVICE_FACTORY, host, port, default_port=RuntimeSettings().gateway_port, workers=workers, on_database=True
        )

    one = typer.Typer(add_completion=False)
    one.command(name=name, help=f"The {name} service's API alone (for one container per service).")(serve)
    return typer.main.get_command(one)  # an app of one command is that command


class ServeGroup(TyperGroup):
    """``hub serve``'s own commands, then one per registered service with an API."""

    def list_commands(self, ctx) -> list[str]:
        own = super().list_commands(ctx)
        return [*own, *(name for name in _api_service_names() if name not in own)]

    def get_command(self, ctx, cmd_name: str):
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _api_service_names():
            command = _service_command(cmd_name)
        return command
