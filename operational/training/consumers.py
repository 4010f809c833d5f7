"""What the training service keeps from other services' events: team rosters with their history (users), the
club's calendar (calendar), availability (medical) and the club's wellness questionnaire (users' club
configuration).

The worker's durable consumer ``training`` hands each event here once: the shared inbox row and the read-model change
commit together, and the message is acked after that commit (messaging/consumer.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contracts import calendar, medical, users
from contracts.envelope import EventEnvelope
from messaging.consumer import Delivery
from operational.kit.service import Handler
from operational.training import repository


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
        users.ClubConfigurationChangedEvent,
        calendar.EventCreatedEvent,
        calendar.EventUpdatedEvent,
        calendar.EventCancelledEvent,
        medical.AvailabilityChangedEvent,
    )
)


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
    elif event.type == "users.club_configuration.changed":
        await repository.keep_club_wellness_instrument(session, event.org_id, data.wellness_questionnaire, occurred)
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
