from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class CalendarSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_CALENDAR_", extra="ignore", populate_by_name=True)

    default_time_zone: str = Field("Europe/Stockholm", description="Zone of a series created without one")
    default_training_minutes: int = Field(
        60, ge=1, le=600, description="Length of a planned training session that gives none"
    )


@lru_cache(maxsize=1)
def settings_from_environment() -> CalendarSettings:
    """The worker's calendar settings (its consumer has no app): read once per process."""
    return CalendarSettings()


def _calendar_settings(request: Request) -> CalendarSettings:
    return request.app.state.service_settings["calendar"]


SettingsDep = Annotated[CalendarSettings, Depends(_calendar_settings)]
