"""Settings of the command line and the embedded runtime (``hub up``).

Unlike the services' settings, the database and NATS URLs have no default here: unset means "start the embedded
server", which is how ``make up`` works on a machine with nothing installed.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class RuntimeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore", populate_by_name=True)

    var_dir: Path = Field(Path("var"), validation_alias=_env("HUB_VAR_DIR"))
    database_url: str | None = Field(None, validation_alias=_env("HUB_DATABASE_URL"))
    nats_url: str | None = Field(None, validation_alias=_env("HUB_NATS_URL"))
    warehouse_path: Path | None = Field(None, validation_alias=_env("HUB_WAREHOUSE_PATH"))
    serving_dir: Path | None = Field(None, validation_alias=_env("HUB_SERVING_DIR"))

    # Where the HTTP servers listen; a taken port falls back to a free one under `hub up`.
    bind_host: str = Field("127.0.0.1", validation_alias=_env("HUB_BIND_HOST"))
    gateway_port: int = Field(8700, ge=1, le=65535, validation_alias=_env("HUB_GATEWAY_PORT"))
    stats_port: int = Field(8701, ge=1, le=65535, validation_alias=_env("HUB_STATS_PORT"))
    dashboards_port: int = Field(8702, ge=1, le=65535, validation_alias=_env("HUB_DASHBOARDS_PORT"))
    # `hub up --dagster-ui`: the Dagster webserver on this port (a taken port falls back to a free one).
    dagster_ui: bool = Field(False, validation_alias=_env("HUB_DAGSTER_UI"))
    dagster_port: int = Field(8703, ge=1, le=65535, validation_alias=_env("HUB_DAGSTER_PORT"))

    # How long `hub up` waits for every component to report ready before giving up.
    ready_timeout_seconds: float = Field(180.0, gt=0, validation_alias=_env("HUB_READY_TIMEOUT_SECONDS"))

    @property
    def var_path(self) -> Path:
        return self.var_dir.absolute()
