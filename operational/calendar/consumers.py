"""What the calendar keeps from other services' events: rosters, names, club roles and guardians (users),
availability (medical), and an entry for every planned training session (training).

The worker's durable consumer ``calendar`` applies each event once: its id goes into the shared inbox in the same
transaction as the change, so a redelivered event changes nothing. Leaving a team, deactivation and erasure also
revoke the person's calendar links (a feed checks its owner at every request too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import medical, training, users
from contracts.envelope import EventEnvelope
from messaging.consumer import Delivery
from operational.calendar import repository, training_sessions
from operational.calendar.config import settings_from_environment
from operational.kit.service import Handler

ANONYMIZED_NAME = "Former member"


async def _apply_users(session: AsyncSession, event: EventEnvelope[Any]) -> None:
    data, org_id = event.data, event.org_id
    match event:
        case users.TeamCreatedEvent() | users.TeamUpdatedEvent():
            await repository.upsert_team(session, org_id, data.team_id, data.name)
        case users.UserCreatedEvent() | users.UserUpdatedEvent():
            await repository.upsert_person(session, org_id, data.user_id, data.full_name, list(data.org_roles))
        case users.UserDeactivatedEvent():
            await repository.deactivate_person(session, org_id, data.user_id)
            await repository.revoke_feeds(session, org_id, data.user_id, event.occurred_at)
        case users.UserAnonymizedEvent():
            await repository.deactivate_person(session, org_id, data.user_id, new_name=ANONYMIZED_NAME)
            await repository.revoke_feeds(session, org_id, data.user_id, event.occurred_at)
        case users.MembershipAddedEvent():
            await repository.add_to_roster(session, org_id, data.team_id, data.user_id, data.role)
        case users.MembershipRemovedEvent():
            await repository.remove_from_roster(session, org_id, data.team_id, data.user_id, data.role)
            if data.team_id not in await repository.teams_of(session, org_id, data.user_id):
                await repository.revoke_feeds(session, org_id, data.user_id, event.occurred_at, team_id=data.team_id)
        case users.MembershipRoleChangedEvent():
            await repository.remove_from_roster(session, org_id, data.team_id, data.user_id, data.previous_role)
            await repository.add_to_roster(session, org_id, data.team_id, data.user_id, data.role)
        case users.GuardianLinkedEvent():
            await repository.link_guardian(session, org_id, data.guardian_id, data.minor_id)
        case users.GuardianUnlinkedEvent():
            await repository.unlink_guardian(session, org_id, data.guardian_id, data.minor_id)


async def apply(session: AsyncSession, event: EventEnvelope[Any], *, time_zone: str | None = None) -> None:
    match event:
        case medical.AvailabilityChangedEvent():
            data = event.data
            await repository.set_availability(
                session,
                {
                    "player_id": data.player_id,
                    "org_id": event.org_id,
                    "status": data.status,
                    "restrictions": list(data.restrictions),
                    "effective_from": data.effective_from,
                    "expected_until": data.expected_until,
                    "changed_at": event.occurred_at,
                },
            )
        case training.SessionScheduledEvent() | training.SessionUpdatedEvent():
            settings = settings_from_environment()
            await training_sessions.keep(
                session,
                event,
                time_zone=time_zone or settings.default_time_zone,
                default_minutes=settings.default_training_minutes,
            )
        case training.SessionCancelledEvent():
            await training_sessions.cancel(session, event)
        case _:
            await _apply_users(session, event)


async def keep_read_models(session: AsyncSession, delivery: Delivery) -> None:
    await apply(session, delivery.event)


HANDLERS = tuple(
    Handler(model, keep_read_models)
    for model in (
        users.TeamCreatedEvent,
        users.TeamUpdatedEvent,
        users.UserCreatedEvent,
        users.UserUpdatedEvent,
        users.UserDeactivatedEvent,
        users.UserAnonymizedEvent,
        users.MembershipAddedEvent,
        users.MembershipRemovedEvent,
        users.MembershipRoleChangedEvent,
        users.GuardianLinkedEvent,
        users.GuardianUnlinkedEvent,
        medical.AvailabilityChangedEvent,
        training.SessionScheduledEvent,
        training.SessionUpdatedEvent,
        training.SessionCancelledEvent,
    )
)
