"""What the planning service keeps from other services' events: team rosters (users) and the club's games
(calendar), so key games and their dates are known without reading the calendar's tables.

The worker's durable consumer ``planning`` hands each event here once (messaging/consumer.py).
"""

from __future__ import annotations

from typing import Any

from contracts import calendar, users
from contracts.envelope import EventEnvelope
from messaging.consumer import Delivery
from operational.kit import roster
from operational.kit.service import Handler
from operational.planning import repository
from operational.planning.goals import repository as goals_repository

KEY_EVENT_KINDS = frozenset({"game"})


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
        calendar.EventCreatedEvent,
        calendar.EventUpdatedEvent,
        calendar.EventCancelledEvent,
    )
)


async def apply_event(session, event: EventEnvelope[Any]) -> None:
    """Bring the read models up to date with one event (in the caller's transaction)."""
    if await roster.apply_membership_event(session, event, repository):
        if event.type == "users.user.anonymized":
            # forgotten: their goals, development plans and the reviews written about them go too
            await goals_repository.erase_player(session, event.org_id, event.data.user_id)
        return
    data = event.data
    if event.type in ("calendar.event.created", "calendar.event.updated"):
        await _keep_game(session, event)
    elif event.type == "calendar.event.cancelled" and data.scope == "all":
        await repository.cancel_game(session, event.org_id, data.series_id)


async def _keep_game(session, event: EventEnvelope[Any]) -> None:
    data = event.data
    # one occurrence moved ("this"/"following") leaves a series' first start as it was: games are one-off events
    if event.type == "calendar.event.updated" and data.scope != "all" and data.rrule is not None:
        return
    if data.kind not in KEY_EVENT_KINDS:
        await repository.cancel_game(session, event.org_id, data.series_id)  # no longer a game
        return
    await repository.keep_game(
        session,
        {
            "series_id": data.series_id,
            "org_id": event.org_id,
            "team_id": data.team_id,
            "kind": data.kind,
            "title": data.title,
            "starts_at": data.starts_at,
            "cancelled": False,
        },
    )
