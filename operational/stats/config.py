from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings
from warehouse.config import WarehouseSettings


class StatsSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_STATS_", extra="ignore", populate_by_name=True)

    @property
    def snapshots_dir(self) -> Path:
        """Where the pipeline publishes serving snapshots: HUB_SERVING_DIR, else <HUB_VAR_DIR>/warehouse/serving."""
        return WarehouseSettings(var_dir=self.var_dir, serving_dir=self.serving_dir).snapshots_dir
