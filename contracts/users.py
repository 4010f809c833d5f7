"""Users domain events: organizations, teams, people, memberships and guardians.

No e-mail address or other contact detail travels in events (they land in the warehouse): a consumer that must reach
a person (comms) asks the users API. Calendar, training and comms keep their rosters from these events.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import Payload, define_event

Role = Literal["platform_admin", "club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent"]


class OrganizationCreated(Payload):
    org_id: uuid.UUID
    name: str
    time_zone: str
    language: str
    plan: str = "standard"


class OrganizationSuspended(Payload):
    """A club was suspended: its people cannot sign in and their tokens stop working; its data stays."""

    org_id: uuid.UUID
    suspended_at: AwareDatetime
    reason: str | None = None


class OrganizationReactivated(Payload):
    org_id: uuid.UUID
    reactivated_at: AwareDatetime


class TeamCreated(Payload):
    team_id: uuid.UUID
    name: str
    season: str | None = None
    age_group: str | None = None
    level: str | None = None


class TeamUpdated(TeamCreated):
    changed_fields: list[str]


class UserCreated(Payload):
    user_id: uuid.UUID
    full_name: str
    org_roles: list[Role] = Field(default_factory=list)
    birth_year: int | None = Field(None, description="Year only: enough for age groups, less identifying")
    position: str | None = None
    jersey_number: int | None = None
    invited: bool = False


class UserUpdated(Payload):
    user_id: uuid.UUID
    changed_fields: list[str]
    full_name: str
    org_roles: list[Role] = Field(default_factory=list)
    position: str | None = None
    jersey_number: int | None = None


class UserDeactivated(Payload):
    user_id: uuid.UUID
    reason: str | None = None


class UserAnonymized(Payload):
    """The person asked to be forgotten: every service erases or anonymizes what it holds about ``user_id``."""

    user_id: uuid.UUID


class MembershipAdded(Payload):
    membership_id: uuid.UUID
    user_id: uuid.UUID
    team_id: uuid.UUID
    role: Role


class MembershipRemoved(Payload):
    membership_id: uuid.UUID
    user_id: uuid.UUID
    team_id: uuid.UUID
    role: Role


class MembershipRoleChanged(Payload):
    membership_id: uuid.UUID
    user_id: uuid.UUID
    team_id: uuid.UUID
    previous_role: Role
    role: Role


class GuardianLinked(Payload):
    link_id: uuid.UUID
    guardian_id: uuid.UUID
    minor_id: uuid.UUID


class GuardianUnlinked(Payload):
    link_id: uuid.UUID
    guardian_id: uuid.UUID
    minor_id: uuid.UUID
    reason: Literal["removed", "athlete_turned_18", "guardian_deactivated", "athlete_withdrew_consent"]


class InvitationCreated(Payload):
    """For comms to deliver; the one-time token itself never leaves the users service."""

    invitation_id: uuid.UUID
    user_id: uuid.UUID
    invited_by: uuid.UUID | None
    expires_on: date


class PasswordResetRequested(Payload):
    user_id: uuid.UUID
    request_id: uuid.UUID
    expires_on: date


class SessionsRevoked(Payload):
    """Access tokens stop working before they expire: every API process adds this to its revocation list.

    ``session_id`` names one sign-in (logout, a stolen refresh token): all its tokens end. Without it, every token of
    ``user_id`` issued before ``revoked_at`` ends (sign-out everywhere, deactivation, erasure, a new password).
    """

    user_id: uuid.UUID
    session_id: uuid.UUID | None = None
    revoked_at: AwareDatetime
    reason: Literal[
        "logout",
        "revoke_all",
        "deactivated",
        "erased",
        "password_reset",
        "password_changed",
        "second_factor_enabled",
        "second_factor_required",
        "reuse_detected",
        "club_suspended",
    ]


OrganizationCreatedEvent = define_event("users.organization.created", OrganizationCreated)
OrganizationSuspendedEvent = define_event("users.organization.suspended", OrganizationSuspended)
OrganizationReactivatedEvent = define_event("users.organization.reactivated", OrganizationReactivated)
TeamCreatedEvent = define_event("users.team.created", TeamCreated)
TeamUpdatedEvent = define_event("users.team.updated", TeamUpdated)
UserCreatedEvent = define_event("users.user.created", UserCreated)
UserUpdatedEvent = define_event("users.user.updated", UserUpdated)
UserDeactivatedEvent = define_event("users.user.deactivated", UserDeactivated)
UserAnonymizedEvent = define_event("users.user.anonymized", UserAnonymized)
MembershipAddedEvent = define_event("users.membership.added", MembershipAdded)
MembershipRemovedEvent = define_event("users.membership.removed", MembershipRemoved)
MembershipRoleChangedEvent = define_event("users.membership.role_changed", MembershipRoleChanged)
GuardianLinkedEvent = define_event("users.guardian.linked", GuardianLinked)
GuardianUnlinkedEvent = define_event("users.guardian.unlinked", GuardianUnlinked)
InvitationCreatedEvent = define_event("users.invitation.created", InvitationCreated)
PasswordResetRequestedEvent = define_event("users.password_reset.requested", PasswordResetRequested)
SessionsRevokedEvent = define_event("users.sessions.revoked", SessionsRevoked)


class ClubConfigurationChanged(Payload):
    """A club admin changed the club's switches; the payload is the whole configuration after the change."""

    wellness_questionnaire: Literal["hooper", "mclean"]
    required_totp_roles: list[Role]
    default_acwr_variant: Literal["coupled_rolling", "uncoupled_rolling", "ewma"]
    changed_settings: list[str] = Field(min_length=1)


ClubConfigurationChangedEvent = define_event("users.club_configuration.changed", ClubConfigurationChanged)


class SessionSignedIn(Payload):
    """Someone signed in (with their password, or by accepting an invitation): the sign-ins of usage analytics.

    ``roles`` and ``team_ids`` are what the new session's token says, so activity can be counted by role and team as
    it was at the time. Nothing identifying the device or address travels."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    method: Literal["password", "invitation"]
    second_factor: bool
    roles: list[Role]
    team_ids: list[uuid.UUID] = Field(default_factory=list)


SessionSignedInEvent = define_event("users.session.signed_in", SessionSignedIn)
