"""Events the users service emits."""

from __future__ import annotations

import uuid

from contracts import users as contract
from contracts.envelope import utc_now
from operational.kit.ids import uuid7
from operational.kit.logs import current_correlation_id
from operational.users.models import Membership, Organization, Team, User


def _envelope(model, *, org_id: uuid.UUID, subject_id: uuid.UUID, actor_id: uuid.UUID | None, data):
    return model(
        event_id=uuid7(),
        occurred_at=utc_now(),
        org_id=org_id,
        actor_id=actor_id,
        subject_id=subject_id,
        correlation_id=current_correlation_id(),
        data=data,
    )


def organization_created(org: Organization, actor_id: uuid.UUID | None) -> contract.OrganizationCreatedEvent:
    data = contract.OrganizationCreated(org_id=org.id, name=org.name, time_zone=org.time_zone, language=org.language)
    return _envelope(contract.OrganizationCreatedEvent, org_id=org.id, subject_id=org.id, actor_id=actor_id, data=data)


def team_created(team: Team, actor_id: uuid.UUID | None) -> contract.TeamCreatedEvent:
    data = contract.TeamCreated(team_id=team.id, name=team.name, season=team.season, age_group=team.age_group)
    return _envelope(contract.TeamCreatedEvent, org_id=team.org_id, subject_id=team.id, actor_id=actor_id, data=data)


def user_created(user: User, actor_id: uuid.UUID | None) -> contract.UserCreatedEvent:
    data = contract.UserCreated(user_id=user.id, full_name=user.full_name, org_roles=list(user.org_roles))
    return _envelope(contract.UserCreatedEvent, org_id=user.org_id, subject_id=user.id, actor_id=actor_id, data=data)


def membership_added(membership: Membership, actor_id: uuid.UUID | None) -> contract.MembershipAddedEvent:
    data = contract.MembershipAdded(
        membership_id=membership.id,
        user_id=membership.user_id,
        team_id=membership.team_id,
        role=membership.role,
    )
    return _envelope(
        contract.MembershipAddedEvent,
        org_id=membership.org_id,
        subject_id=membership.id,
        actor_id=actor_id,
        data=data,
    )
