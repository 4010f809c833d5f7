from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str | None = Field(None, description="Issued once refresh tokens are enabled")
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class MembershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    team_id: uuid.UUID
    role: str


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    email: str
    full_name: str
    org_roles: list[str]
    language: str
    memberships: list[MembershipRead] = []
