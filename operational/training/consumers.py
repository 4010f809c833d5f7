"""What the training service keeps from other services' events: team rosters (users) and availability (medical).

Each event is handled once: the processed-events row and the read-model change commit together, and the message is
acked after that commit (operational/kit/consumer.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import EventEnvelope
from operational.kit.consumer import EventConsumer
from operational.kit.db import session_factory
from operational.training import repository
from operational.training.models import RosterEntry

ROSTER_EVENTS = (
    "users.membership.added",
    "users.membership.removed",
    "users.membership.role_changed",
    "users.user.deactivated",
    "users.user.anonymized",
)


class TrainingConsumer(EventConsumer):
    durable_name = "training"
    filter_subjects = tuple(f"hub.{t}" for t in ROSTER_EVENTS) + ("hub.medical.availability.changed",)

    def __init__(self, js, engine: AsyncEngine, **kw):
        super().__init__(js, **kw)
        self.sessions = session_factory(engine)

    async def handle_batch(self, events: list[EventEnvelope[Any]]) -> None:
        async with self.sessions() as session, session.begin():
            for event in events:
                if await repository.mark_processed(session, self.durable_name, event.event_id):
                    await _apply(session, event)


async def _apply(session, event: EventEnvelope[Any]) -> None:
    data = event.data
    if event.type == "users.membership.added":
        await session.execute(
            pg_insert(RosterEntry)
            .values(team_id=data.team_id, user_id=data.user_id, role=data.role, org_id=event.org_id)
            .on_conflict_do_nothing()
        )
    elif event.type == "users.membership.removed":
        await session.execute(
            delete(RosterEntry).where(
                RosterEntry.team_id == data.team_id, RosterEntry.user_id == data.user_id, RosterEntry.role == data.role
            )
        )
    elif event.type == "users.membership.role_changed":
        await session.execute(
            delete(RosterEntry).where(
                RosterEntry.team_id == data.team_id,
                RosterEntry.user_id == data.user_id,
                RosterEntry.role == data.previous_role,
            )
        )
        await session.execute(
            pg_insert(RosterEntry)
            .values(team_id=data.team_id, user_id=data.user_id, role=data.role, org_id=event.org_id)
            .on_conflict_do_nothing()
        )
    elif event.type in ("users.user.deactivated", "users.user.anonymized"):
        await session.execute(delete(RosterEntry).where(RosterEntry.user_id == data.user_id))
    elif event.type == "medical.availability.changed":
        await repository.upsert_availability(
            session,
            {
                "player_id": data.player_id,
                "org_id": event.org_id,
                "status": data.status,
                "restrictions": list(data.restrictions),
                "effective_from": data.effective_from,
                "expected_until": data.expected_until,
                "note_for_staff": data.note_for_staff,
                "source_event_id": event.event_id,
                "updated_at": event.occurred_at.astimezone(UTC) if event.occurred_at else datetime.now(UTC),
            },
        )
