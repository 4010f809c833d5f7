from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DashboardSettings(BaseSettings):
    """Where the dashboards find the APIs they call (read on every script run, so a restart is never needed)."""

    model_config = SettingsConfigDict(env_prefix="HUB_DASHBOARDS_", extra="ignore", populate_by_name=True)

    gateway_url: str = Field(
        "http://127.0.0.1:8700",
        validation_alias=AliasChoices("HUB_GATEWAY_URL"),
        description="The operational API, for logging in",
    )
    stats_url: str = Field(
        "http://127.0.0.1:8701",
        validation_alias=AliasChoices("HUB_STATS_URL"),
        description="The read-only statistics API",
    )
    request_timeout_seconds: float = Field(10.0, gt=0, description="How long to wait for an API answer")
