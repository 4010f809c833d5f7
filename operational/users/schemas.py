from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from operational.kit.pagination import Page
from operational.kit.schemas import Day, PatchModel, SingleLine, WriteModel

Role = Literal["platform_admin", "club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent"]
TeamRole = Literal["coach", "physical_trainer", "medical_staff", "player", "parent"]
OrgRole = Literal["club_admin", "medical_staff", "coach", "physical_trainer"]
Language = Literal["en", "sv", "fi", "de", "fr", "cs", "sk", "nb", "da"]
InvitationStatus = Literal["pending", "accepted", "expired"]
ClubSlug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="The club's short name")]


def _valid_time_zone(value: str | None) -> str | None:
    if value is not None and value not in _TIME_ZONES:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Stockholm'")
    return value


_TIME_ZONES = frozenset(available_timezones()) | {"UTC"}


# --- auth -----------------------------------------------------------------------------------------------------------
class LoginRequest(WriteModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)
    totp_code: str | None = Field(None, pattern=r"^\s*\d{3}\s?\d{3}\s*$", description="When a second factor is on")
    club: ClubSlug | None = Field(None, description="Only needed when your e-mail has accounts in several clubs")


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str | None = None
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    scope: str = "access"


class RefreshRequest(WriteModel):
    refresh_token: str = Field(min_length=20, max_length=200)


class PasswordResetRequest(WriteModel):
    email: EmailStr
    club: ClubSlug | None = Field(None, description="Only that club's account; default: every account of the e-mail")


class PasswordChange(WriteModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class PasswordResetConfirm(WriteModel):
    token: str = Field(min_length=20, max_length=200)
    new_password: str = Field(min_length=1, max_length=1024)


class InvitationAccept(WriteModel):
    token: str = Field(min_length=20, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class TotpSetup(BaseModel):
    secret: str
    provisioning_uri: str


class TotpCode(WriteModel):
    code: str = Field(pattern=r"^\s*\d{3}\s?\d{3}\s*$")


# --- organizations and teams ----------------------------------------------------------------------------------------
class OrganizationCreate(WriteModel):
    name: str = Field(min_length=2, max_length=120)
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    time_zone: str = "UTC"
    language: Language = "en"

    _tz = field_validator("time_zone")(_valid_time_zone)


class OrganizationUpdate(PatchModel):
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


class TeamCreate(WriteModel):
    name: SingleLine = Field(min_length=1, max_length=80)
    season: str | None = Field(None, pattern=r"^\d{4}(-\d{2,4})?$", description="e.g. 2026-27")
    age_group: str | None = Field(None, max_length=20)
    level: str | None = Field(None, max_length=40)


class TeamUpdate(PatchModel):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"season", "age_group", "level"})

    name: SingleLine | None = Field(None, min_length=1, max_length=80)
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


class MembershipCreate(WriteModel):
    user_id: uuid.UUID
    role: TeamRole


class MembershipUpdate(WriteModel):
    role: TeamRole


class MembershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    team_id: uuid.UUID
    user_id: uuid.UUID
    role: str


# --- people ---------------------------------------------------------------------------------------------------------
class ProfileUpdate(PatchModel):
    """What anyone may change about themself; ``null`` clears time zone, position and number."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset({"time_zone", "position", "jersey_number"})

    full_name: SingleLine | None = Field(None, min_length=1, max_length=120)
    language: Language | None = None
    time_zone: str | None = None
    position: SingleLine | None = Field(None, max_length=40)
    jersey_number: int | None = Field(None, ge=0, le=99)

    _tz = field_validator("time_zone")(_valid_time_zone)


class UserAdminUpdate(ProfileUpdate):
    """What a club admin may change about a member, on top of the profile."""

    date_of_birth: Day | None = None
    org_roles: list[OrgRole] | None = None


class InvitationCreate(WriteModel):
    email: EmailStr
    full_name: SingleLine = Field(min_length=1, max_length=120)
    team_id: uuid.UUID | None = None
    role: TeamRole | None = Field(None, description="Role in the team; required with team_id")
    org_roles: list[OrgRole] = Field(default_factory=list)
    date_of_birth: Day | None = None


class InvitationRead(BaseModel):
    user_id: uuid.UUID
    invitation_token: str = Field(description="Shown once: the link the person uses to set a password")
    expires_at: datetime


class InvitationState(BaseModel):
    """Where a person's most recent invitation stands."""

    status: InvitationStatus
    invited_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None


class InvitationSummary(InvitationState):
    user_id: uuid.UUID
    email: str
    full_name: str
    is_active: bool


InvitationPage = Page[InvitationSummary]


class GuardianLinkCreate(WriteModel):
    guardian_id: uuid.UUID


class GuardianLinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    guardian_id: uuid.UUID
    minor_id: uuid.UUID
    athlete_consented_at: datetime | None
    created_at: datetime


class UserRead(BaseModel):
    """A person as staff, the person themself and their guardian see them."""

    model_config = ConfigDict(from_attributes=True)

    view: Literal["full"] = "full"
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
    invitation: InvitationState | None = Field(None, description="None: the person never had an invitation")


class DirectoryEntry(BaseModel):
    """A teammate as players and parents see them: no contact details, no date of birth."""

    view: Literal["directory"] = "directory"
    id: uuid.UUID
    full_name: str
    position: str | None = None
    jersey_number: int | None = None
    memberships: list[MembershipRead] = Field(default_factory=list, description="In the teams you share")


PersonRead = Annotated[UserRead | DirectoryEntry, Field(discriminator="view")]
UserPage = Page[PersonRead]


class ImportRowError(BaseModel):
    row: int = Field(description="1-based line number in the file, the header being line 1")
    field: str | None = Field(description="The column")
    message: str


class ImportedInvitation(InvitationRead):
    row: int
    email: str


class ImportReport(BaseModel):
    dry_run: bool
    mode: Literal["create", "upsert"]
    rows: int
    valid_rows: int
    imported: int = Field(description="People created or updated")
    created: int
    updated: int
    unchanged: int
    errors: list[ImportRowError]
    invitations: list[ImportedInvitation] = Field(
        default_factory=list, description="One per person created, with the link shown once"
    )
