from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WarehouseSettings(BaseSettings):
    """Where the warehouse and its serving snapshots live (the DuckDB file by default, under var/)."""

    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore", populate_by_name=True)

    var_dir: Path = Field(Path("var"), validation_alias=AliasChoices("HUB_VAR_DIR"))
    warehouse_path: Path | None = Field(None, validation_alias=AliasChoices("HUB_WAREHOUSE_PATH"))
    serving_dir: Path | None = Field(None, validation_alias=AliasChoices("HUB_SERVING_DIR"))

    @property
    def duckdb_path(self) -> Path:
        return (self.warehouse_path or self.var_dir / "warehouse" / "hub.duckdb").absolute()

    @property
    def snapshots_dir(self) -> Path:
        return (self.serving_dir or self.var_dir / "warehouse" / "serving").absolute()
