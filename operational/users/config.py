from __future__ import annotations

import hashlib
from functools import cached_property

from fastapi import Request
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class UsersSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_USERS_", extra="ignore", populate_by_name=True)

    # argon2id; OWASP's floor is m=19 MiB, t=2, p=1 — the default runs above it.
    argon2_time_cost: int = Field(2, ge=2)
    argon2_memory_kib: int = Field(46 * 1024, ge=19 * 1024)
    argon2_parallelism: int = Field(1, ge=1)

    refresh_token_days: int = Field(7, ge=1, le=90)
    invitation_days: int = Field(14, ge=1, le=60)
    password_reset_minutes: int = Field(30, ge=5, le=24 * 60)
    password_min_length: int = Field(10, ge=8)
    # where the one-time links that comms e-mails point: <base>/invitation?token=… and <base>/password-reset?token=…
    # (the page there posts the token to /api/v1/auth/invitations/accept or /password-reset/confirm)
    account_link_base_url: str = "http://localhost:8700"

    # Sign-in throttling: failures allowed per sliding window, per account and per client address.
    login_window_seconds: int = Field(60, ge=10)
    login_max_failures_per_account: int = Field(5, ge=1)
    login_max_failures_per_address: int = Field(20, ge=1)

    # Encrypts second-factor secrets at rest. Unset: derived from the token signing key, so the embedded runtime
    # needs no extra secret; production sets its own.
    secret_key: SecretStr | None = None

    @cached_property
    def totp_encryption_key(self) -> bytes:
        material = self.secret_key.get_secret_value().encode() if self.secret_key else self.private_key_pem
        return hashlib.sha256(b"hockey-hub/totp/" + material).digest()


def users_settings(request: Request) -> UsersSettings:
    """The users service's settings in the app serving the request (the gateway hands each service its own)."""
    return request.app.state.service_settings["users"]


def account_link(settings: UsersSettings, purpose: str, token: str) -> str:
    """The link a person follows to use a one-time token: a secret, for their e-mail only."""
    page = "invitation" if purpose == "invitation" else "password-reset"
    return f"{settings.account_link_base_url.rstrip('/')}/{page}?token={token}"
