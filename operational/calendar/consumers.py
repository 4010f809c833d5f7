"""What the calendar keeps from other services' events: rosters, names, club roles and guardians (users),
availability (medical), and an entry for every planned training session (training).

The durable consumer ``calendar`` applies each event once: its id goes into ``processed_events`` in the same
transaction as the change, so a redelivered event changes nothing. Leaving a team, deactivation and erasure also
revoke the person's calendar links (a feed checks its owner at every request too).
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts import medical, training, users
from contracts.envelope import EventEnvelope
from operational.calendar import repository, training_sessions
from operational.calendar.config import settings_from_environment
from operational.kit.consumer import EventConsumer
from operational.kit.db import session_factory

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


async def apply_batch(engine: AsyncEngine, batch: list[EventEnvelope[Any]], *, time_zone: str | None = None) -> int:
    """Apply the events not seen before, in one transaction; return how many were new."""
    applied = 0
    async with session_factory(engine)() as session, session.begin():
        for event in batch:
            if await repository.mark_processed(session, event.event_id):
                await apply(session, event, time_zone=time_zone)
                applied += 1
    return applied


class CalendarReadModels(EventConsumer):
    durable_name = "calendar"
    filter_subjects = ("hub.users.>", "hub.medical.>", "hub.training.session.>")

    def __init__(self, js, engine: AsyncEngine, *, max_deliver: int = 5):
        super().__init__(js, max_deliver=max_deliver)
        self.engine = engine

    async def handle_batch(self, events: list[EventEnvelope[Any]]) -> None:
        await apply_batch(self.engine, events)


async def run(js, engine: AsyncEngine, stop: asyncio.Event, *, max_deliver: int = 5) -> None:
    await CalendarReadModels(js, engine, max_deliver=max_deliver).run_forever(stop)
