"""Users domain events: organizations, teams, users and memberships."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from contracts.envelope import EventEnvelope, Payload

Role = Literal["platform_admin", "club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent"]


class OrganizationCreated(Payload):
    org_id: uuid.UUID
    name: str
    time_zone: str
    language: str


class TeamCreated(Payload):
    team_id: uuid.UUID
    name: str
    season: str | None = None
    age_group: str | None = None


class UserCreated(Payload):
    user_id: uuid.UUID
    full_name: str
    # No e-mail or other contact detail travels in events: consumers that need them ask the users API.
    org_roles: list[Role] = Field(default_factory=list)


class MembershipAdded(Payload):
    membership_id: uuid.UUID
    user_id: uuid.UUID
    team_id: uuid.UUID
    role: Role


class OrganizationCreatedEvent(EventEnvelope[OrganizationCreated]):
    type: Literal["users.organization.created"] = "users.organization.created"
    version: Literal[1] = 1


class TeamCreatedEvent(EventEnvelope[TeamCreated]):
    type: Literal["users.team.created"] = "users.team.created"
    version: Literal[1] = 1


class UserCreatedEvent(EventEnvelope[UserCreated]):
    type: Literal["users.user.created"] = "users.user.created"
    version: Literal[1] = 1


class MembershipAddedEvent(EventEnvelope[MembershipAdded]):
    type: Literal["users.membership.added"] = "users.membership.added"
    version: Literal[1] = 1
