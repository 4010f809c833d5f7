"""Notifications raised from other services' events, and what a person does with theirs (read them, mark them read).

Who hears about a calendar event: the players of its team and those it names, and their guardians (parents on the
team's roster and guardians linked to a player), never the person who made the change. Each notification row is
unique on (event id, recipient, channel), so an event delivered twice tells nobody twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import calendar, users
from contracts.envelope import EventEnvelope
from operational.comms import repository
from operational.comms.channels import is_minor, notification_rows, quiet_hours_end
from operational.comms.config import CommsSettings
from operational.comms.models import Notification
from operational.comms.rsvp import repository as rsvp_repository
from operational.comms.schemas import MutedChannel, PreferenceRead, PreferenceUpdate
from operational.kit.auth import Principal
from operational.kit.ids import uuid7
from operational.kit.pagination import paginate

# roles on a team's roster that hear about its schedule (coaches make the schedule)
SCHEDULE_AUDIENCE = ("player", "parent")
# who hears that a player's availability changed
AVAILABILITY_AUDIENCE = ("coach", "physical_trainer")
# changed fields that mean the event is somewhere or sometime else
MOVING_FIELDS = frozenset({"starts_at", "duration_minutes", "time_zone", "rrule", "resource_id"})


async def schedule_audience(
    session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID | None, player_ids, *, actor_id: uuid.UUID | None
) -> set[uuid.UUID]:
    """The team's players and parents, the players named, and every named or rostered player's guardians."""
    people = set(player_ids)
    if team_id is not None:
        people |= await repository.team_members(session, org_id, team_id, SCHEDULE_AUDIENCE)
    people |= await repository.guardians_of(session, org_id, people)
    people.discard(actor_id)
    return people


def _kind_of_update(data: calendar.EventUpdated) -> str:
    return "event_moved" if MOVING_FIELDS.intersection(data.changed_fields) else "event_changed"


async def notify_calendar_event(session: AsyncSession, settings: CommsSettings, event: EventEnvelope[Any]) -> int:
    """In-app notifications for an event created, changed, moved or cancelled; returns how many were new."""
    data, org_id = event.data, event.org_id
    if isinstance(event, calendar.EventCancelledEvent):
        entry = await repository.calendar_entry(session, org_id, data.series_id)
        if entry is None:  # created before comms listened: nothing to name it by, and no one known to tell
            return 0
        title, team_id, player_ids, time_zone = entry.title, entry.team_id, entry.player_ids, entry.time_zone
        starts_at = data.occurrence_start or entry.starts_at
        kind = "event_cancelled" if data.scope == "this" else "series_cancelled"
        await rsvp_repository.cancel(session, org_id, data.series_id, data.scope, data.occurrence_start)
    else:
        title, team_id, player_ids, time_zone, starts_at = (
            data.title, data.team_id, data.player_ids, data.time_zone, data.starts_at,
        )  # fmt: skip
        kind = "event_created" if isinstance(event, calendar.EventCreatedEvent) else _kind_of_update(data)
        if kind == "event_created" or data.scope == "all":
            await repository.keep_calendar_entry(
                session,
                {"series_id": data.series_id, "org_id": org_id, "title": title, "kind": data.kind,
                 "team_id": team_id, "player_ids": list(player_ids), "starts_at": starts_at, "time_zone": time_zone,
                 "rrule": data.rrule, "ends_before": None},
            )  # fmt: skip
    team_name = await repository.team_name(session, org_id, team_id) if team_id else None
    facts = {
        "series_id": str(data.series_id),
        "title": title,
        "team_name": team_name,
        "starts_at": starts_at.astimezone(UTC).isoformat(),
        "time_zone": time_zone,
    }
    audience = await schedule_audience(session, org_id, team_id, player_ids, actor_id=event.actor_id)
    rows = await notification_rows(session, settings, event, audience, category="schedule", kind=kind, facts=facts)
    return await repository.add_notifications(session, rows)


async def notify_availability(session: AsyncSession, settings: CommsSettings, event: EventEnvelope[Any]) -> int:
    """The player's coaches and physical trainers hear the new status (available, limited, unavailable) and nothing
    else: no restriction, note or diagnosis travels into a notification."""
    data, org_id = event.data, event.org_id
    staff = await repository.staff_of_players_teams(session, org_id, data.player_id, AVAILABILITY_AUDIENCE)
    staff.discard(event.actor_id)
    name = await repository.person_name(session, org_id, data.player_id)
    facts = {"player_name": name or "", "status": data.status}
    rows = await notification_rows(
        session, settings, event, staff, category="availability", kind="availability_changed", facts=facts
    )
    return await repository.add_notifications(session, rows)


async def notify_payment_reminder(session: AsyncSession, settings: CommsSettings, event: EventEnvelope[Any]) -> int:
    """The payer (a guardian, or the player) hears that an invoice is overdue: its number, the unpaid amount and the
    new date to pay by, in their language; in-app and by e-mail. Once per reminder event, however often delivered."""
    data, org_id = event.data, event.org_id
    name = await repository.person_name(session, org_id, data.player_id)
    facts = {"number": data.number, "amount_due_minor": data.amount_due_minor, "currency": data.currency,
             "days_overdue": data.days_overdue, "pay_by": data.pay_by.isoformat(), "player_name": name or "",
             "invoice_id": str(data.invoice_id), "level": data.level}  # fmt: skip
    rows = await notification_rows(
        session, settings, event, {data.payer_id}, category="payment", kind="payment_reminder", facts=facts
    )
    return await repository.add_notifications(session, rows)


async def notify_account_event(session: AsyncSession, settings: CommsSettings, event: EventEnvelope[Any]) -> int:
    """A password reset also tells the person in the app (without the link: a reset they did not ask for is worth
    knowing about). An invitation tells nothing here: the invited person has not signed in yet, and the e-mail with
    the link comes from users' private message (:func:`queue_account_link`)."""
    if isinstance(event, users.InvitationCreatedEvent):
        return 0
    facts = {"expires_on": event.data.expires_on.isoformat()}
    row = {"id": uuid7(), "org_id": event.org_id, "recipient_id": event.data.user_id, "event_id": event.event_id,
           "channel": "in_app", "category": "account", "kind": "password_reset", "data": facts,
           "created_at": event.occurred_at, "not_before": None}  # fmt: skip
    return await repository.add_notifications(session, [row])


async def queue_account_link(session: AsyncSession, settings: CommsSettings, message: EventEnvelope[Any]) -> int:
    """An invitation's or a password reset's link (contracts/private.py), queued as an e-mail to the account's own
    address in its language. The link and address stay in the row only until the mail job has sent it or given up,
    then they are wiped (``mail/delivery.py``). A minor's invitation raised in the club's quiet hours waits until they
    end; a password reset never waits (the person asked for it just now, and the link lasts minutes)."""
    data, org_id = message.data, message.org_id
    not_before = None
    if data.purpose == "invitation":
        years = await repository.birth_years(session, org_id, [data.user_id])
        if is_minor(years.get(data.user_id), message.occurred_at):
            not_before = quiet_hours_end(message.occurred_at, settings)
    facts = {"expires_on": data.expires_on.isoformat(), "link": data.link, "to": str(data.email),
             "language": data.language}  # fmt: skip
    row = {"id": uuid7(), "org_id": org_id, "recipient_id": data.user_id, "event_id": message.event_id,
           "channel": "email", "category": "account", "kind": data.purpose, "data": facts,
           "created_at": message.occurred_at, "not_before": not_before}  # fmt: skip
    return await repository.add_notifications(session, [row])


async def keep_contact(session: AsyncSession, message: EventEnvelope[Any]) -> None:
    """The account's address and language as users has them now (none: the account was erased)."""
    data = message.data
    email = str(data.email) if data.email else None
    await repository.save_contact(session, message.org_id, data.user_id, email, data.language)


async def list_notifications(session: AsyncSession, principal: Principal, page, *, unread_only: bool):
    query = repository.notifications_of(principal.org_id, principal.user_id, unread_only=unread_only)
    items, total = await paginate(
        session, query, page, order_by=(Notification.created_at.desc(), Notification.id.desc())
    )
    unread = await repository.unread_count(session, principal.org_id, principal.user_id)
    return items, total, unread


async def mark_read(session: AsyncSession, notification: Notification) -> Notification:
    """Marks it read (the first time only: reading it again keeps the first time)."""
    await repository.mark_read(session, notification, datetime.now(UTC))
    return notification


async def preferences(session: AsyncSession, principal: Principal) -> PreferenceRead:
    row = await repository.preference(session, principal.org_id, principal.user_id)
    if row is None:
        return PreferenceRead(language=None, email=None, phone=None, muted=[], digest=[])
    muted = [MutedChannel(category=pair.split(":")[0], channel=pair.split(":")[1]) for pair in row.muted]
    return PreferenceRead(
        language=row.language, email=row.email, phone=row.phone, muted=muted, digest=sorted(row.digest or [])
    )


async def save_preferences(session: AsyncSession, principal: Principal, body: PreferenceUpdate) -> PreferenceRead:
    """Replaces your preferences with ``body`` (what it leaves out is back to the default)."""
    muted = sorted({f"{item.category}:{item.channel}" for item in body.muted})
    await repository.save_preference(
        session,
        {"user_id": principal.user_id, "org_id": principal.org_id, "language": body.language,
         "email": str(body.email) if body.email else None, "muted": muted, "digest": sorted(set(body.digest)),
         "time_zone": principal.time_zone, "phone": body.phone},
    )  # fmt: skip
    return await preferences(session, principal)
