"""Events the users service emits."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from contracts import private
from contracts import users as contract
from contracts.envelope import EventEnvelope
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.users.models import GuardianLink, Membership, Organization, Team, User


def organization_created(org: Organization, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.OrganizationCreated(
        org_id=org.id, name=org.name, time_zone=org.time_zone, language=org.language, plan=org.plan
    )
    return new_event(contract.OrganizationCreatedEvent, org_id=org.id, subject_id=org.id, actor=actor_id, data=data)


def organization_suspended(org: Organization, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.OrganizationSuspended(org_id=org.id, suspended_at=org.suspended_at, reason=org.suspension_reason)
    return new_event(contract.OrganizationSuspendedEvent, org_id=org.id, subject_id=org.id, actor=actor_id, data=data)


def organization_reactivated(org: Organization, at: datetime, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.OrganizationReactivated(org_id=org.id, reactivated_at=at)
    return new_event(contract.OrganizationReactivatedEvent, org_id=org.id, subject_id=org.id, actor=actor_id, data=data)


def _team_fields(team: Team) -> dict:
    return {
        "team_id": team.id,
        "name": team.name,
        "season": team.season,
        "age_group": team.age_group,
        "level": team.level,
    }


def team_created(team: Team, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.TeamCreated(**_team_fields(team))
    return new_event(contract.TeamCreatedEvent, org_id=team.org_id, subject_id=team.id, actor=actor_id, data=data)


def team_updated(team: Team, changed: list[str], actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.TeamUpdated(**_team_fields(team), changed_fields=changed)
    return new_event(contract.TeamUpdatedEvent, org_id=team.org_id, subject_id=team.id, actor=actor_id, data=data)


def user_created(user: User, actor_id: uuid.UUID | None, *, invited: bool = False) -> EventEnvelope:
    data = contract.UserCreated(
        user_id=user.id,
        full_name=user.full_name,
        org_roles=list(user.org_roles),
        birth_year=user.date_of_birth.year if user.date_of_birth else None,
        position=user.position,
        jersey_number=user.jersey_number,
        invited=invited,
    )
    return new_event(contract.UserCreatedEvent, org_id=user.org_id, subject_id=user.id, actor=actor_id, data=data)


def user_updated(user: User, changed: list[str], actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.UserUpdated(
        user_id=user.id,
        changed_fields=changed,
        full_name=user.full_name,
        org_roles=list(user.org_roles),
        position=user.position,
        jersey_number=user.jersey_number,
    )
    return new_event(contract.UserUpdatedEvent, org_id=user.org_id, subject_id=user.id, actor=actor_id, data=data)


def user_deactivated(user: User, reason: str | None, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.UserDeactivated(user_id=user.id, reason=reason)
    return new_event(contract.UserDeactivatedEvent, org_id=user.org_id, subject_id=user.id, actor=actor_id, data=data)


def user_anonymized(user: User, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.UserAnonymized(user_id=user.id)
    return new_event(contract.UserAnonymizedEvent, org_id=user.org_id, subject_id=user.id, actor=actor_id, data=data)


def _membership_fields(membership: Membership) -> dict:
    return {"membership_id": membership.id, "user_id": membership.user_id, "team_id": membership.team_id}


def membership_added(membership: Membership, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.MembershipAdded(**_membership_fields(membership), role=membership.role)
    return new_event(
        contract.MembershipAddedEvent, org_id=membership.org_id, subject_id=membership.id, actor=actor_id, data=data
    )


def membership_removed(membership: Membership, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.MembershipRemoved(**_membership_fields(membership), role=membership.role)
    return new_event(
        contract.MembershipRemovedEvent,
        org_id=membership.org_id,
        subject_id=membership.id,
        actor=actor_id,
        data=data,
    )


def membership_role_changed(membership: Membership, previous: str, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.MembershipRoleChanged(
        **_membership_fields(membership), previous_role=previous, role=membership.role
    )
    return new_event(
        contract.MembershipRoleChangedEvent,
        org_id=membership.org_id,
        subject_id=membership.id,
        actor=actor_id,
        data=data,
    )


def guardian_linked(link: GuardianLink, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.GuardianLinked(link_id=link.id, guardian_id=link.guardian_id, minor_id=link.minor_id)
    return new_event(contract.GuardianLinkedEvent, org_id=link.org_id, subject_id=link.id, actor=actor_id, data=data)


def guardian_unlinked(link: GuardianLink, reason: str, actor_id: uuid.UUID | None) -> EventEnvelope:
    data = contract.GuardianUnlinked(
        link_id=link.id, guardian_id=link.guardian_id, minor_id=link.minor_id, reason=reason
    )
    return new_event(contract.GuardianUnlinkedEvent, org_id=link.org_id, subject_id=link.id, actor=actor_id, data=data)


def invitation_created(user: User, invitation_id: uuid.UUID, expires_on: date, actor_id: uuid.UUID | None):
    data = contract.InvitationCreated(
        invitation_id=invitation_id, user_id=user.id, invited_by=actor_id, expires_on=expires_on
    )
    return new_event(contract.InvitationCreatedEvent, org_id=user.org_id, subject_id=user.id, actor=actor_id, data=data)


def password_reset_requested(user: User, request_id: uuid.UUID, expires_on: date) -> EventEnvelope:
    data = contract.PasswordResetRequested(user_id=user.id, request_id=request_id, expires_on=expires_on)
    return new_event(
        contract.PasswordResetRequestedEvent, org_id=user.org_id, subject_id=user.id, actor=user.id, data=data
    )


def sessions_revoked(
    user: User, *, session_id: uuid.UUID | None, revoked_at: datetime, reason: str, actor_id: uuid.UUID | None
) -> EventEnvelope:
    data = contract.SessionsRevoked(user_id=user.id, session_id=session_id, revoked_at=revoked_at, reason=reason)
    return new_event(contract.SessionsRevokedEvent, org_id=user.org_id, subject_id=user.id, actor=actor_id, data=data)


def session_signed_in(principal: Principal, *, method: str) -> EventEnvelope:
    data = contract.SessionSignedIn(
        user_id=principal.user_id,
        session_id=principal.session_id,
        method=method,
        second_factor=principal.mfa,
        roles=sorted(principal.roles),
        team_ids=sorted(principal.team_ids, key=str),
    )
    return new_event(
        contract.SessionSignedInEvent,
        org_id=principal.org_id,
        subject_id=principal.user_id,
        actor=principal.user_id,
        data=data,
    )


# --- private messages (contracts/private.py): for comms only, never for the warehouse ------------------------------


def account_link_issued(user: User, link_id: uuid.UUID, purpose: str, link: str, expires_on: date):
    data = private.AccountLinkIssued(
        link_id=link_id,
        purpose=purpose,
        user_id=user.id,
        email=user.email,
        language=user.language or "en",
        link=link,
        expires_on=expires_on,
    )
    return new_event(private.AccountLinkIssuedMessage, org_id=user.org_id, subject_id=user.id, actor=None, data=data)


def contact_changed(user: User):
    """The person's address and language as they are now (none once the account is anonymized)."""
    erased = user.anonymized_at is not None
    data = private.ContactChanged(
        user_id=user.id, email=None if erased else user.email, language=None if erased else user.language
    )
    return new_event(private.ContactChangedMessage, org_id=user.org_id, subject_id=user.id, actor=None, data=data)
