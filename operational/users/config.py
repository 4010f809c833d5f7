from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class UsersSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_USERS_", extra="ignore", populate_by_name=True)

    # argon2id; OWASP's floor is m=19 MiB, t=2, p=1 — we run above it.
    argon2_time_cost: int = Field(2, ge=2)
    argon2_memory_kib: int = Field(46 * 1024, ge=19 * 1024)
    argon2_parallelism: int = Field(1, ge=1)
