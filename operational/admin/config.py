from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class AdminSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_ADMIN_", extra="ignore", populate_by_name=True)
