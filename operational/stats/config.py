from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings
from warehouse.config import WarehouseSettings


class StatsSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_STATS_", extra="ignore", populate_by_name=True)

    serving_dir: Path | None = Field(
        None,
        description="Where the pipeline publishes serving snapshots; by default the warehouse's own "
        "(HUB_SERVING_DIR, else <HUB_VAR_DIR>/warehouse/serving)",
    )

    @property
    def snapshots_dir(self) -> Path:
        if self.serving_dir is not None:
            return self.serving_dir.absolute()
        return WarehouseSettings(var_dir=self.var_dir).snapshots_dir
