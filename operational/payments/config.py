from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class PaymentsSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_PAYMENTS_", extra="ignore", populate_by_name=True)

    # the currency a fee plan gets when its creator names none (ISO 4217)
    default_currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    # days a treasurer gives families to pay when an invoice run names no due date
    default_days_to_pay: int = Field(30, ge=0, le=365)

    # bank transfer (the default way to pay): the account payers transfer to, quoting the invoice number
    bank_account_name: str | None = None
    bank_iban: str | None = None
    bank_bic: str | None = None

    # card payments through Stripe: off until a secret key is set
    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = None  # Stripe's own by default; tests point it at a fake on loopback
    stripe_webhook_tolerance_seconds: int = Field(300, ge=1)  # older signed events are refused (replays)
    provider_timeout_seconds: float = Field(10.0, gt=0)
    provider_attempts: int = Field(3, ge=1, le=10)
    provider_retry_initial_seconds: float = Field(0.5, ge=0)
    breaker_failures: int = Field(5, ge=1)  # failed calls in a row that open the circuit
    breaker_cooldown_seconds: float = Field(30.0, gt=0)


def _payments_settings(request: Request) -> PaymentsSettings:
    return request.app.state.service_settings["payments"]


SettingsDep = Annotated[PaymentsSettings, Depends(_payments_settings)]
