"""Settings of the pipeline runner (the warehouse paths come from WarehouseSettings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from warehouse.config import WarehouseSettings


class PipelineSettings(WarehouseSettings):
    nats_url: str = Field("nats://127.0.0.1:4222", validation_alias=AliasChoices("HUB_NATS_URL"))
    poll_seconds: float = Field(0.5, validation_alias=AliasChoices("HUB_PIPELINE_POLL_SECONDS"))
    # Recording every run's events in DAGSTER_HOME (SQLite) lets `dagster dev` show them, but costs seconds per pass;
    # without it runs are kept in memory and each pass is summed up in one log line.
    record_runs: bool = Field(False, validation_alias=AliasChoices("HUB_PIPELINE_RECORD_RUNS"))
    # Only the newest runs are kept: the runner may start one every few seconds.
    keep_runs: int = Field(200, validation_alias=AliasChoices("HUB_PIPELINE_KEEP_RUNS"))
    dagster_home_dir: Path | None = Field(None, validation_alias=AliasChoices("DAGSTER_HOME"))
    log_level: str = Field("INFO", validation_alias=AliasChoices("HUB_LOG_LEVEL"))
    log_json: bool = Field(True, validation_alias=AliasChoices("HUB_LOG_JSON"))

    @property
    def dagster_home(self) -> Path:
        return (self.dagster_home_dir or self.var_dir / "dagster").absolute()


class DbtProfileSettings(BaseSettings):
    """What dbt/profiles.yml reads from the environment (dbt reads it itself; this class names and defaults it).

    A parsed manifest names the database of every relation, so the pipeline reuses one only for the same target and
    database; dbt-duckdb names the database after the file (``hub`` for hub.duckdb).
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    target: str = Field("duckdb", validation_alias=AliasChoices("HUB_DBT_TARGET"))
    warehouse_path: str = Field("var/warehouse/hub.duckdb", validation_alias=AliasChoices("HUB_WAREHOUSE_PATH"))
    pg_host: str = Field("localhost", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_HOST"))
    pg_port: int = Field(5432, validation_alias=AliasChoices("HUB_WAREHOUSE_PG_PORT"))
    pg_user: str = Field("postgres", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_USER"))
    pg_password: str = Field("", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_PASSWORD"))
    pg_database: str = Field("hub_warehouse", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_DATABASE"))

    def cache_key(self, project_dir: Path) -> tuple[str, str, str]:
        database = Path(self.warehouse_path).stem if self.target == "duckdb" else self.pg_database
        return (str(project_dir), self.target, database)
