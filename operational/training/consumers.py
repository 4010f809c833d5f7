"""What the training service keeps from other services' events: team rosters with their history (users) and
availability (medical).

Each event is handled once: the processed-events row and the read-model change commit together, and the message is
acked after that commit (operational/kit/consumer.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import EventEnvelope
from operational.kit.consumer import EventConsumer
from operational.kit.db import session_factory
from operational.training import repository

ROSTER_EVENTS = (
    "users.membership.added",
    "users.membership.removed",
    "users.membership.role_changed",
    "users.user.deactivated",
    "users.user.anonymized",
)

CALENDAR_EVENTS = ("calendar.event.created", "calendar.event.updated", "calendar.event.cancelled")


class TrainingConsumer(EventConsumer):
    durable_name = "training"
    filter_subjects = tuple(f"hub.{t}" for t in ROSTER_EVENTS + CALENDAR_EVENTS) + ("hub.medical.availability.changed",)

    def __init__(self, js, engine: AsyncEngine, **kw):
        super().__init__(js, **kw)
        self.sessions = session_factory(engine)

    async def handle_batch(self, events: list[EventEnvelope[Any]]) -> None:
        async with self.sessions() as session, session.begin():
            for event in events:
                if await repository.mark_processed(session, self.durable_name, event.event_id):
                    await apply_event(session, event)


async def apply_event(session, event: EventEnvelope[Any]) -> None:
    """Bring the read models up to date with one event (in the caller's transaction)."""
    data = event.data
    occurred = (event.occurred_at or datetime.now(UTC)).astimezone(UTC)
    on = occurred.date()
    if event.type == "users.membership.added":
        await repository.join_team(session, event.org_id, data.team_id, data.user_id, data.role, on)
    elif event.type == "users.membership.removed":
        await repository.leave_team(session, event.org_id, data.user_id, on, team_id=data.team_id, role=data.role)
    elif event.type == "users.membership.role_changed":
        await repository.leave_team(
            session, event.org_id, data.user_id, on, team_id=data.team_id, role=data.previous_role
        )
        await repository.join_team(session, event.org_id, data.team_id, data.user_id, data.role, on)
    elif event.type in ("users.user.deactivated", "users.user.anonymized"):
        await repository.leave_team(session, event.org_id, data.user_id, on)
    elif event.type in ("calendar.event.created", "calendar.event.updated"):
        await repository.keep_calendar_event(session, event.org_id, data.series_id, data.team_id, cancelled=False)
    elif event.type == "calendar.event.cancelled" and data.scope == "all":
        await repository.cancel_calendar_event(session, event.org_id, data.series_id)
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
                "updated_at": occurred,
            },
        )
