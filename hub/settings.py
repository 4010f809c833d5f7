"""Settings of the command line and the embedded runtime (``hub up``).

The shared variables come from :class:`shared_settings.SharedSettings`. Unlike the services, the command line reads
an unset database or NATS URL as "start the embedded server" (``external_database_url`` and ``external_nats_url``
are None then), which is how ``make up`` works on a machine with nothing installed.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field

from shared_settings import SharedSettings


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class RuntimeSettings(SharedSettings):
    # Where the HTTP servers listen; a taken port falls back to a free one under `hub up`.
    bind_host: str = Field("127.0.0.1", validation_alias=_env("HUB_BIND_HOST"))
    gateway_port: int = Field(8700, ge=1, le=65535, validation_alias=_env("HUB_GATEWAY_PORT"))
    stats_port: int = Field(8701, ge=1, le=65535, validation_alias=_env("HUB_STATS_PORT"))
    dashboards_port: int = Field(8702, ge=1, le=65535, validation_alias=_env("HUB_DASHBOARDS_PORT"))
    # `hub up --dagster-ui`: the Dagster webserver on this port (a taken port falls back to a free one).
    dagster_ui: bool = Field(False, validation_alias=_env("HUB_DAGSTER_UI"))
    dagster_port: int = Field(8703, ge=1, le=65535, validation_alias=_env("HUB_DAGSTER_PORT"))

    # Worker processes of an API server (`hub serve gateway` under `hub up`, `hub serve <service>` in the compose
    # file's containers); 0: one per core (one Python process uses one core). Each opens up to
    # connections_per_api_process(HUB_DATABASE_POOL_SIZE) Postgres connections (30 at the default): `hub up` and
    # `hub serve` refuse to start when they, the worker and the pipeline exceed max_connections (hub/connections.py).
    api_workers: int = Field(0, ge=0, validation_alias=_env("HUB_API_WORKERS"))

    # How often `hub up` restarts a component that keeps dying (within two minutes) before it stops everything.
    max_restarts: int = Field(3, ge=0, validation_alias=_env("HUB_MAX_RESTARTS"))

    # How long `hub up` waits for every component to report ready before giving up.
    ready_timeout_seconds: float = Field(180.0, gt=0, validation_alias=_env("HUB_READY_TIMEOUT_SECONDS"))

    @property
    def api_worker_count(self) -> int:
        """``api_workers``, or the number of cores when it is 0."""
        return self.api_workers or os.cpu_count() or 1

    @property
    def external_database_url(self) -> str | None:
        """HUB_DATABASE_URL when it is set, None when the embedded Postgres is to be started."""
        return self.database_url if self.given("database_url") and self.database_url else None

    @property
    def external_nats_url(self) -> str | None:
        """HUB_NATS_URL when it is set, None when the embedded NATS server is to be started."""
        return self.nats_url if self.given("nats_url") and self.nats_url else None

    @property
    def var_path(self) -> Path:
        return self.var_dir.absolute()
