from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class CommsSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_COMMS_", extra="ignore", populate_by_name=True)

    default_language: str = Field("sv", description="Language of a message to someone whose language is unknown")


@lru_cache(maxsize=1)
def settings_from_environment() -> CommsSettings:
    """The worker's comms settings (its consumer has no app): read once per process."""
    return CommsSettings()


def _comms_settings(request: Request) -> CommsSettings:
    return request.app.state.service_settings["comms"]


SettingsDep = Annotated[CommsSettings, Depends(_comms_settings)]
