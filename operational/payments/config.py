from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class PaymentsSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_PAYMENTS_", extra="ignore", populate_by_name=True)

    # the currency a fee plan gets when its creator names none (ISO 4217)
    default_currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    # days a treasurer gives families to pay when an invoice run names no due date
    default_days_to_pay: int = Field(30, ge=0, le=365)


def _payments_settings(request: Request) -> PaymentsSettings:
    return request.app.state.service_settings["payments"]


SettingsDep = Annotated[PaymentsSettings, Depends(_payments_settings)]
