"""The variables every Hockey Hub process shares, declared once.

The services (operational.kit.config.HubSettings), the warehouse, the pipeline runner, dbt's profile and the command
line all compose :class:`SharedSettings`; each adds only its own fields, under its own prefix. This package imports
nothing of the project, so ``pipelines`` and ``warehouse`` use it without importing operational code.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "postgresql://postgres@localhost:5432/hockey_hub"
DEFAULT_NATS_URL = "nats://127.0.0.1:4222"
DEFAULT_DATABASE_POOL_SIZE = 10
# The worker's pool (operational/worker.py: every relay, consumer and periodic job share it).
WORKER_POOL_SIZE = 4


def shared(name: str) -> AliasChoices:
    """A shared field keeps its plain name (``HUB_VAR_DIR``) whatever the prefix of the class composing it."""
    return AliasChoices(name)


class SharedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore", populate_by_name=True)

    environment: str = Field("development", validation_alias=shared("HUB_ENVIRONMENT"))
    var_dir: Path = Field(Path("var"), validation_alias=shared("HUB_VAR_DIR"))
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=shared("HUB_DATABASE_URL"))
    # Postgres connections of one API process (a worker of `hub serve`): a pool of this many for requests that write,
    # as many more while requests queue, and a pool half as large (at least 1, also doubling) for GET requests, so
    # 2 x size + 2 x max(1, size // 2) at most (30 at 10; connections_per_api_process below). `hub up` and
    # `hub serve` refuse to start when every process's share exceeds the server's max_connections (hub/connections.py).
    database_pool_size: int = Field(
        DEFAULT_DATABASE_POOL_SIZE, ge=1, le=100, validation_alias=shared("HUB_DATABASE_POOL_SIZE")
    )
    # one server, or every server of a cluster, comma-separated: nats://nats-1:4222,nats://nats-2:4222,...
    nats_url: str = Field(DEFAULT_NATS_URL, validation_alias=shared("HUB_NATS_URL"))
    # copies of each stream: 1 on one server (the embedded one), 3 in a three-server cluster
    nats_stream_replicas: int = Field(1, ge=1, le=5, validation_alias=shared("HUB_NATS_STREAM_REPLICAS"))
    log_level: str = Field("INFO", validation_alias=shared("HUB_LOG_LEVEL"))
    log_json: bool = Field(True, validation_alias=shared("HUB_LOG_JSON"))

    # The warehouse file and the serving snapshots the pipeline publishes (defaults under var_dir)
    warehouse_path: Path | None = Field(None, validation_alias=shared("HUB_WAREHOUSE_PATH"))
    serving_dir: Path | None = Field(None, validation_alias=shared("HUB_SERVING_DIR"))
    # A postgresql:// URL puts the warehouse on Postgres (raw events, dbt's marts and the serving schema); unset, it
    # is the DuckDB file above. warehouse.port.open_warehouse is the one place that reads it.
    warehouse_url: str | None = Field(None, validation_alias=shared("HUB_WAREHOUSE_URL"))

    # OpenTelemetry traces go over OTLP/HTTP to <endpoint>/v1/traces when this is set; unset, nothing is traced.
    otlp_endpoint: str | None = Field(
        None, validation_alias=AliasChoices("HUB_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    )

    @property
    def duckdb_path(self) -> Path:
        return (self.warehouse_path or self.var_dir / "warehouse" / "hub.duckdb").absolute()

    @property
    def snapshots_dir(self) -> Path:
        return (self.serving_dir or self.var_dir / "warehouse" / "serving").absolute()

    def given(self, name: str) -> bool:
        """Whether ``name`` was set (in the environment or by the caller) rather than left at its default."""
        return name in self.model_fields_set


# How many connections the pools of operational.kit.db open, here beside the setting so that the connection budget
# (hub/connections.py) counts them without importing the API's libraries into `hub up`.


def pool_connections(pool_size: int) -> int:
    """The most connections a pool of ``pool_size`` opens: ``pool_size`` kept, as many more while checkouts queue
    (SQLAlchemy's ``max_overflow``)."""
    return 2 * pool_size


def read_pool_size(pool_size: int) -> int:
    """The size of an API process's pool for GET requests beside its pool of ``pool_size``: half, at least 1."""
    return max(1, pool_size // 2)


def connections_per_api_process(pool_size: int) -> int:
    """The most Postgres connections one API process opens with ``HUB_DATABASE_POOL_SIZE`` = ``pool_size``: its
    write pool and its read pool, each with its overflow (30 at 10)."""
    return pool_connections(pool_size) + pool_connections(read_pool_size(pool_size))
