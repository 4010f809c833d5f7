"""The calendar's read models, kept from other services' events: rosters and names (users), availability (medical).

The durable consumer ``calendar`` applies each event once: its id goes into ``processed_events`` in the same
transaction as the change, so a redelivered event changes nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts import medical, users
from contracts.envelope import EventEnvelope
from operational.calendar import repository
from operational.kit.consumer import EventConsumer
from operational.kit.db import session_factory


async def apply(session: AsyncSession, event: EventEnvelope[Any]) -> None:
    data, org_id = event.data, event.org_id
    match event:
        case users.TeamCreatedEvent() | users.TeamUpdatedEvent():
            await repository.upsert_team(session, org_id, data.team_id, data.name)
        case users.UserCreatedEvent() | users.UserUpdatedEvent():
            await repository.upsert_person(session, org_id, data.user_id, data.full_name)
        case users.UserDeactivatedEvent() | users.UserAnonymizedEvent():
            await repository.deactivate_person(session, org_id, data.user_id)
        case users.MembershipAddedEvent():
            await repository.add_to_roster(session, org_id, data.team_id, data.user_id, data.role)
        case users.MembershipRemovedEvent():
            await repository.remove_from_roster(session, org_id, data.team_id, data.user_id, data.role)
        case users.MembershipRoleChangedEvent():
            await repository.remove_from_roster(session, org_id, data.team_id, data.user_id, data.previous_role)
            await repository.add_to_roster(session, org_id, data.team_id, data.user_id, data.role)
        case medical.AvailabilityChangedEvent():
            await repository.set_availability(
                session,
                {
                    "player_id": data.player_id,
                    "org_id": org_id,
                    "status": data.status,
                    "restrictions": list(data.restrictions),
                    "effective_from": data.effective_from,
                    "expected_until": data.expected_until,
                    "changed_at": event.occurred_at,
                },
            )


async def apply_batch(engine: AsyncEngine, batch: list[EventEnvelope[Any]]) -> int:
    """Apply the events not seen before, in one transaction; return how many were new."""
    applied = 0
    async with session_factory(engine)() as session, session.begin():
        for event in batch:
            if await repository.mark_processed(session, event.event_id):
                await apply(session, event)
                applied += 1
    return applied


class CalendarReadModels(EventConsumer):
    durable_name = "calendar"
    filter_subjects = ("hub.users.>", "hub.medical.>")

    def __init__(self, js, engine: AsyncEngine, *, max_deliver: int = 5):
        super().__init__(js, max_deliver=max_deliver)
        self.engine = engine

    async def handle_batch(self, events: list[EventEnvelope[Any]]) -> None:
        await apply_batch(self.engine, events)


async def run(js, engine: AsyncEngine, stop: asyncio.Event, *, max_deliver: int = 5) -> None:
    await CalendarReadModels(js, engine, max_deliver=max_deliver).run_forever(stop)
