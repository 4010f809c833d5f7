from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class StatsSettings(HubSettings):
    """The stats API reads the serving snapshots at ``snapshots_dir`` (HUB_SERVING_DIR, else
    <HUB_VAR_DIR>/warehouse/serving), a shared field."""

    model_config = SettingsConfigDict(env_prefix="HUB_STATS_", extra="ignore", populate_by_name=True)
