from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from operational.kit.pagination import Page
from operational.kit.schemas import SingleLine, WriteModel
from operational.users.schemas import Language, _valid_time_zone

Plan = Literal["trial", "standard", "premium"]
ClubStatus = Literal["active", "suspended"]


class FirstClubAdmin(WriteModel):
    """The person who runs the club: invited by e-mail as its first club admin."""

    email: EmailStr
    full_name: SingleLine = Field(min_length=1, max_length=120)


class ClubCreate(WriteModel):
    name: SingleLine = Field(min_length=2, max_length=120)
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="Short name used at sign-in, e.g. lakeside")
    time_zone: str = "UTC"
    language: Language = "en"
    plan: Plan = "standard"
    first_admin: FirstClubAdmin

    _tz = field_validator("time_zone")(_valid_time_zone)


class ClubSuspend(WriteModel):
    reason: SingleLine | None = Field(None, max_length=300, description="Why, for the record (e.g. unpaid invoice)")


class ClubRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    time_zone: str
    language: str
    plan: str
    status: ClubStatus
    suspended_at: datetime | None = None
    suspension_reason: str | None = None
    created_at: datetime


class ClubOnboarded(BaseModel):
    club: ClubRead
    admin_user_id: uuid.UUID
    invitation_token: str = Field(description="Shown once: the link the first club admin uses to set a password")
    invitation_expires_at: datetime


ClubPage = Page[ClubRead]
