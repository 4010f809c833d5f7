"""What the payments service keeps from users events: who plays for which team since when (invoice runs, pro rata),
who is whose guardian (who pays, sibling discounts), and people's and teams' names (invoices show names).

Erasure keeps invoices and payments: bookkeeping law requires them (GDPR Art. 17(3)(b)); the person leaves the read
model and their name becomes "Former member", so no new invoice names them.
"""

from __future__ import annotations

from typing import Any

from contracts import users
from contracts.envelope import EventEnvelope
from messaging.consumer import Delivery
from operational.kit.service import Handler
from operational.payments import repository

FORMER_MEMBER = "Former member"


async def keep_read_models(session, delivery: Delivery) -> None:
    await apply_event(session, delivery.event)


HANDLERS = tuple(
    Handler(model, keep_read_models)
    for model in (
        users.MembershipAddedEvent,
        users.MembershipRemovedEvent,
        users.MembershipRoleChangedEvent,
        users.UserDeactivatedEvent,
        users.UserAnonymizedEvent,
        users.GuardianLinkedEvent,
        users.GuardianUnlinkedEvent,
        users.UserCreatedEvent,
        users.UserUpdatedEvent,
        users.TeamCreatedEvent,
        users.TeamUpdatedEvent,
    )
)


async def apply_event(session, event: EventEnvelope[Any]) -> None:
    """Bring the read model up to date with one event (in the caller's transaction)."""
    data, org_id = event.data, event.org_id
    joined_on = event.occurred_at.date()
    if event.type == "users.membership.added":
        await repository.join_team(session, org_id, data.team_id, data.user_id, data.role, joined_on)
    elif event.type == "users.membership.removed":
        await repository.leave_team(session, org_id, data.user_id, team_id=data.team_id, role=data.role)
    elif event.type == "users.membership.role_changed":
        await repository.leave_team(session, org_id, data.user_id, team_id=data.team_id, role=data.previous_role)
        await repository.join_team(session, org_id, data.team_id, data.user_id, data.role, joined_on)
    elif event.type in ("users.user.created", "users.user.updated"):
        await repository.set_name(session, org_id, data.user_id, "person", data.full_name)
    elif event.type in ("users.team.created", "users.team.updated"):
        await repository.set_name(session, org_id, data.team_id, "team", data.name)
    elif event.type in ("users.user.deactivated", "users.user.anonymized"):
        if event.type == "users.user.anonymized":
            await repository.set_name(session, org_id, data.user_id, "person", FORMER_MEMBER)
        await repository.leave_team(session, org_id, data.user_id)
        await repository.unlink_guardian(session, org_id, guardian_id=data.user_id)
        await repository.unlink_guardian(session, org_id, minor_id=data.user_id)
    elif event.type == "users.guardian.linked":
        await repository.link_guardian(session, org_id, data.guardian_id, data.minor_id)
    elif event.type == "users.guardian.unlinked":
        await repository.unlink_guardian(session, org_id, guardian_id=data.guardian_id, minor_id=data.minor_id)
