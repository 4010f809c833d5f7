"""Settings of the pipeline runner and of dbt's profile.

The shared variables (HUB_NATS_URL, HUB_VAR_DIR, HUB_LOG_*, the warehouse paths) come from
:class:`shared_settings.SharedSettings`; these classes declare only the pipeline's and dbt's own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field

from shared_settings import SharedSettings


class PipelineSettings(SharedSettings):
    poll_seconds: float = Field(0.5, validation_alias=AliasChoices("HUB_PIPELINE_POLL_SECONDS"))
    # Recording every run's events in DAGSTER_HOME (SQLite) lets `dagster dev` show them, but costs seconds per pass;
    # without it runs are kept in memory and each pass is summed up in one log line.
    record_runs: bool = Field(False, validation_alias=AliasChoices("HUB_PIPELINE_RECORD_RUNS"))
    # Only the newest runs are kept: the runner may start one every few seconds.
    keep_runs: int = Field(200, validation_alias=AliasChoices("HUB_PIPELINE_KEEP_RUNS"))
    # Great Expectations (with pandas and SciPy, ~165 MiB) runs in a child process that ends after this many seconds
    # without a check; the first check after a quiet spell pays a few seconds to start a new one.
    expectations_idle_seconds: float = Field(
        60.0, gt=0, validation_alias=AliasChoices("HUB_PIPELINE_EXPECTATIONS_IDLE_SECONDS")
    )
    # Passes while events keep arriving build only the marts the stats API serves (pipelines/lanes.py); the others
    # wait for a pass with no events waiting, or at most this long.
    fast_lane: bool = Field(True, validation_alias=AliasChoices("HUB_PIPELINE_FAST_LANE"))
    max_deferral_seconds: float = Field(60.0, ge=0, validation_alias=AliasChoices("HUB_PIPELINE_MAX_DEFERRAL_SECONDS"))
    # A full-lane pass takes seconds; started the moment a fast pass ends, the next write would wait for all of it.
    # It starts once no events arrived for this long (writes one at a time, each after the last is visible, are not
    # a quiet spell).
    deferred_after_quiet_seconds: float = Field(
        10.0, ge=0, validation_alias=AliasChoices("HUB_PIPELINE_DEFERRED_AFTER_QUIET_SECONDS")
    )
    dagster_home_dir: Path | None = Field(None, validation_alias=AliasChoices("DAGSTER_HOME"))

    @property
    def dagster_home(self) -> Path:
        return (self.dagster_home_dir or self.var_dir / "dagster").absolute()


class DbtProfileSettings(SharedSettings):
    """What dbt/profiles.yml reads from the environment (dbt reads it itself; this class names and defaults it).

    The DuckDB file is the shared warehouse path (HUB_WAREHOUSE_PATH, else under HUB_VAR_DIR). A parsed manifest
    names the database of every relation, so the pipeline reuses one only for the same target and database;
    dbt-duckdb names the database after the file (``hub`` for hub.duckdb).
    """

    target: str = Field("duckdb", validation_alias=AliasChoices("HUB_DBT_TARGET"))
    pg_host: str = Field("localhost", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_HOST"))
    pg_port: int = Field(5432, validation_alias=AliasChoices("HUB_WAREHOUSE_PG_PORT"))
    pg_user: str = Field("postgres", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_USER"))
    pg_password: str = Field("", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_PASSWORD"))
    pg_database: str = Field("hub_warehouse", validation_alias=AliasChoices("HUB_WAREHOUSE_PG_DATABASE"))

    def cache_key(self, project_dir: Path) -> tuple[str, str, str]:
        database = self.duckdb_path.stem if self.target == "duckdb" else self.pg_database
        return (str(project_dir), self.target, database)
