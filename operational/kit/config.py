"""Settings shared by every service.

The variables every process shares (database and NATS URLs, var/, logging, warehouse paths) come from
:class:`shared_settings.SharedSettings`; HubSettings adds what every service shares (tokens, relay, consumers,
client addresses). Both keep their plain ``HUB_`` names (one database URL for the whole system); a service's own
settings class subclasses :class:`HubSettings` with its own prefix (``HUB_TRAINING_`` …) and declares only its own
fields. Nothing else in the code base reads the environment.
"""

from __future__ import annotations

from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from shared_settings import SharedSettings
from shared_settings import shared as _shared

PROXY_SECRET_FILE = "proxy_secret"


class HubSettings(SharedSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore", populate_by_name=True)

    # Tokens: the users service signs with the private key; every service verifies with the public key.
    jwt_private_key_path: Path | None = Field(None, validation_alias=_shared("HUB_JWT_PRIVATE_KEY_PATH"))
    jwt_public_key_path: Path | None = Field(None, validation_alias=_shared("HUB_JWT_PUBLIC_KEY_PATH"))
    jwt_issuer: str = Field("hockey-hub", validation_alias=_shared("HUB_JWT_ISSUER"))
    jwt_audience: str = Field("hockey-hub", validation_alias=_shared("HUB_JWT_AUDIENCE"))
    access_token_minutes: int = Field(15, validation_alias=_shared("HUB_ACCESS_TOKEN_MINUTES"))

    # Outbox relay
    relay_poll_seconds: float = Field(1.0, validation_alias=_shared("HUB_RELAY_POLL_SECONDS"))
    relay_batch_size: int = Field(500, validation_alias=_shared("HUB_RELAY_BATCH_SIZE"))
    outbox_retention_days: int = Field(7, validation_alias=_shared("HUB_OUTBOX_RETENTION_DAYS"))

    # Consumers
    consumer_max_deliver: int = Field(5, validation_alias=_shared("HUB_CONSUMER_MAX_DELIVER"))

    # Client addresses (sign-in throttling). Forwarded headers are believed only from these networks (comma-separated
    # CIDRs, e.g. "10.0.0.0/8,192.168.1.5/32"); the default is none, so a client cannot pick its own address.
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list, validation_alias=_shared("HUB_TRUSTED_PROXIES")
    )
    # Shared with an application that signs people in on their behalf (the dashboards): with it, that application
    # may forward its user's address. Unset: read from <var>/keys/proxy_secret when that file exists.
    proxy_secret: SecretStr | None = Field(None, validation_alias=_shared("HUB_PROXY_SECRET"))

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return [ip_network(str(part), strict=False) for part in value or []]

    @cached_property
    def public_key_pem(self) -> bytes:
        path = self.jwt_public_key_path or self.var_dir / "keys" / "jwt_public.pem"
        return Path(path).read_bytes()

    @cached_property
    def private_key_pem(self) -> bytes:
        path = self.jwt_private_key_path or self.var_dir / "keys" / "jwt_private.pem"
        return Path(path).read_bytes()

    @property
    def proxy_secret_value(self) -> str | None:
        """Read when needed (sign-ins only), so a secret written after start-up is picked up."""
        if self.proxy_secret is not None:
            return self.proxy_secret.get_secret_value() or None
        path = self.var_dir / "keys" / PROXY_SECRET_FILE
        return (path.read_text().strip() or None) if path.is_file() else None


SettingsT = TypeVar("SettingsT", bound=HubSettings)


def for_service(settings_class: type[SettingsT], shared: HubSettings) -> SettingsT:
    """A service's settings in a process that serves several (the gateway): the shared fields from ``shared``, the
    service's own from its prefix."""
    if isinstance(shared, settings_class):
        return shared
    return settings_class(**{name: getattr(shared, name) for name in HubSettings.model_fields})
