from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from operational.kit.pagination import Page
from operational.kit.schemas import PatchModel, SingleLine, WriteModel
from operational.users.schemas import Language, Role, _valid_time_zone

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


# --- configuration --------------------------------------------------------------------------------------------------
WellnessQuestionnaire = Literal["hooper", "mclean"]
AcwrVariant = Literal["coupled_rolling", "uncoupled_rolling", "ewma"]
ClubSetting = Literal["wellness_questionnaire", "required_totp_roles", "default_acwr_variant"]


class ClubConfigurationRead(BaseModel):
    wellness_questionnaire: WellnessQuestionnaire = Field(
        description="The club's wellness questionnaire: Hooper (1–7, lower is better) or McLean (1–5, higher is better)"
    )
    required_totp_roles: list[Role] = Field(
        description="Roles whose members must sign in with an authenticator-app code as well as their password"
    )
    default_acwr_variant: AcwrVariant = Field(description="Which acute:chronic workload ratio the club reads first")


class ClubConfigurationUpdate(PatchModel):
    wellness_questionnaire: WellnessQuestionnaire | None = None
    required_totp_roles: list[Role] | None = Field(None, max_length=7)
    default_acwr_variant: AcwrVariant | None = None


class ClubSettingChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    setting: str
    before: Any = Field(description="The value before the change (null: the default applied)")
    after: Any
    changed_at: datetime
    changed_by: str | None = Field(description="Who changed it, by name (null: the system)")
    changed_by_id: uuid.UUID | None = None


ClubSettingChangePage = Page[ClubSettingChangeRead]
