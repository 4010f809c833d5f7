from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from operational.kit.pagination import Page

Role = Literal["platform_admin", "club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent"]
TeamRole = Literal["coach", "physical_trainer", "medical_staff", "player", "parent"]
OrgRole = Literal["club_admin", "medical_staff", "coach", "physical_trainer"]
Language = Literal["en", "sv", "fi", "de", "fr", "cs", "sk", "nb", "da"]


class _Write(BaseModel):
    # Unknown fields are refused, so a client cannot slip in org_id, role, id or is_admin.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _valid_time_zone(value: str | None) -> str | None:
    if value is not None and value not in _TIME_ZONES:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Stockholm'")
    return value


_TIME_ZONES = frozenset(available_timezones()) | {"UTC"}


# --- auth -----------------------------------------------------------------------------------------------------------
class LoginRequest(_Write):
    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)
    totp_code: str | None = Field(None, pattern=r"^\s*\d{3}\s?\d{3}\s*$", description="When a second factor is on")


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str | None = None
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    scope: str = "access"


class RefreshRequest(_Write):
    refresh_token: str = Field(min_length=20, max_length=200)


class PasswordResetRequest(_Write):
    email: EmailStr


class PasswordResetConfirm(_Write):
    token: str = Field(min_length=20, max_length=200)
    new_password: str = Field(min_length=1, max_length=1024)


class InvitationAccept(_Write):
    token: str = Field(min_length=20, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class TotpSetup(BaseModel):
    secret: str
    provisioning_uri: str


class TotpCode(_Write):
    code: str = Field(pattern=r"^\s*\d{3}\s?\d{3}\s*$")


# --- organizations and teams ----------------------------------------------------------------------------------------
class OrganizationCreate(_Write):
    name: str = Field(min_length=2, max_length=120)
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    time_zone: str = "UTC"
    language: Language = "en"

    _tz = field_validator("time_zone")(_valid_time_zone)


class OrganizationUpdate(_Write):
    name: str | None = Field(None, min_length=2, max_length=120)
    time_zone: str | None = None
    language: Language | None = None
    mfa_required_roles: list[Role] | None = None

    _tz = field_validator("time_zone")(_valid_time_zone)


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    time_zone: str
    language: str
    mfa_required_roles: list[str]


class TeamCreate(_Write):
    name: str = Field(min_length=1, max_length=80)
    season: str | None = Field(None, pattern=r"^\d{4}(-\d{2,4})?$", description="e.g. 2026-27")
    age_group: str | None = Field(None, max_length=20)
    level: str | None = Field(None, max_length=40)


class TeamUpdate(_Write):
    name: str | None = Field(None, min_length=1, max_length=80)
    season: str | None = Field(None, pattern=r"^\d{4}(-\d{2,4})?$")
    age_group: str | None = Field(None, max_length=20)
    level: str | None = Field(None, max_length=40)


class TeamRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    name: str
    season: str | None
    age_group: str | None
    level: str | None


TeamPage = Page[TeamRead]


class MembershipCreate(_Write):
    user_id: uuid.UUID
    role: TeamRole


class MembershipUpdate(_Write):
    role: TeamRole


class MembershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    team_id: uuid.UUID
    user_id: uuid.UUID
    role: str


# --- people ---------------------------------------------------------------------------------------------------------
class ProfileUpdate(_Write):
    """What anyone may change about themself."""

    full_name: str | None = Field(None, min_length=1, max_length=120)
    language: Language | None = None
    time_zone: str | None = None
    position: str | None = Field(None, max_length=40)
    jersey_number: int | None = Field(None, ge=0, le=99)

    _tz = field_validator("time_zone")(_valid_time_zone)


class UserAdminUpdate(ProfileUpdate):
    """What a club admin may change about a member, on top of the profile."""

    date_of_birth: date | None = None
    org_roles: list[OrgRole] | None = None


class InvitationCreate(_Write):
    email: EmailStr
    full_name: str = Field(min_length=1, max_length=120)
    team_id: uuid.UUID | None = None
    role: TeamRole | None = Field(None, description="Role in the team; required with team_id")
    org_roles: list[OrgRole] = Field(default_factory=list)
    date_of_birth: date | None = None


class InvitationRead(BaseModel):
    user_id: uuid.UUID
    invitation_token: str = Field(description="Shown once: the link the person uses to set a password")
    expires_at: datetime


class GuardianLinkCreate(_Write):
    guardian_id: uuid.UUID


class GuardianLinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    guardian_id: uuid.UUID
    minor_id: uuid.UUID
    athlete_consented_at: datetime | None
    created_at: datetime


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    email: str
    full_name: str
    org_roles: list[str]
    language: str
    time_zone: str | None = None
    date_of_birth: date | None = None
    position: str | None = None
    jersey_number: int | None = None
    is_active: bool = True
    totp_enabled: bool = False
    memberships: list[MembershipRead] = []


UserPage = Page[UserRead]


class ImportRowError(BaseModel):
    row: int = Field(description="1-based line number in the file, the header being line 1")
    field: str | None
    message: str


class ImportReport(BaseModel):
    mode: Literal["dry_run", "strict", "best_effort"]
    rows: int
    valid_rows: int
    imported: int
    errors: list[ImportRowError]
