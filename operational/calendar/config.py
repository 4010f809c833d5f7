from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class CalendarSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_CALENDAR_", extra="ignore", populate_by_name=True)

    default_time_zone: str = Field("Europe/Stockholm", description="Zone of a series created without one")
    # How far ahead a recurring series is expanded for conflicts, bookings and feeds.
    expansion_horizon_days: int = Field(370, ge=7, le=1100)
    max_occurrences: int = Field(400, ge=1, le=5000)
