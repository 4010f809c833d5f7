"""What comms keeps and does with other services' events: rosters, names and guardians (users) say who hears about
what, and team channels follow the rosters; calendar events raise notifications; invitations and password resets are
e-mailed with their one-time link (from users' private messages, contracts/private.py, which also keep each
account's address); a player's new availability status (only the status) is told to their coaches; an overdue
invoice's reminder is told to its payer.

The worker's durable consumer ``comms`` hands each event here once (the shared inbox row commits with the change), and
the notifications themselves are unique on (event, recipient, channel) as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import calendar, medical, payments, private, users
from contracts.envelope import EventEnvelope
from messaging.consumer import Delivery
from operational.comms import repository, service
from operational.comms.config import CommsSettings, settings_from_environment
from operational.comms.conversations import repository as conversations_repository
from operational.comms.conversations import service as conversations
from operational.comms.conversations.attachments import service as attachments
from operational.comms.rsvp import repository as rsvp_repository
from operational.kit.service import Handler, PrivateHandler

ANONYMIZED_NAME = "Former member"


async def apply(session: AsyncSession, event: EventEnvelope[Any], settings: CommsSettings | None = None) -> None:
    data, org_id = event.data, event.org_id
    settings = settings or settings_from_environment()
    match event:
        case calendar.EventCreatedEvent() | calendar.EventUpdatedEvent() | calendar.EventCancelledEvent():
            await service.notify_calendar_event(session, settings, event)
        case calendar.RsvpRecordedEvent():
            await rsvp_repository.record_answer(session, org_id, data.series_id, data.occurrence_start, data.player_id)
        case payments.ReminderDueEvent():
            await service.notify_payment_reminder(session, settings, event)
        case medical.AvailabilityChangedEvent():
            await service.notify_availability(session, settings, event)
        case users.InvitationCreatedEvent() | users.PasswordResetRequestedEvent():
            await service.notify_account_event(session, settings, event)
        case users.TeamCreatedEvent() | users.TeamUpdatedEvent():
            await repository.upsert_team(session, org_id, data.team_id, data.name)
            await conversations.keep_team_channel(session, org_id, data.team_id, data.name, event.occurred_at)
        case users.UserCreatedEvent():
            await repository.upsert_person(
                session, org_id, data.user_id, data.full_name, list(data.org_roles), data.birth_year
            )
        case users.UserUpdatedEvent():
            await repository.upsert_person(session, org_id, data.user_id, data.full_name, list(data.org_roles))
        case users.UserDeactivatedEvent():
            await repository.deactivate_person(session, org_id, data.user_id)
            await conversations.leave_everything(session, org_id, data.user_id)
        case users.UserAnonymizedEvent():
            await repository.deactivate_person(session, org_id, data.user_id, new_name=ANONYMIZED_NAME)
            await conversations.leave_everything(session, org_id, data.user_id)
            await conversations_repository.erase_author(session, org_id, data.user_id, event.occurred_at)
            await attachments.erase_uploads(session, settings, org_id, data.user_id)
            await repository.erase_person(session, org_id, data.user_id)
        case users.MembershipAddedEvent():
            await repository.join_team(session, org_id, data.team_id, data.user_id, data.role)
            await conversations.join_team_channel(session, org_id, data.team_id, data.user_id, event.occurred_at)
        case users.MembershipRemovedEvent():
            await repository.leave_team(session, org_id, data.user_id, team_id=data.team_id, role=data.role)
            await conversations.leave_team_channel(session, org_id, data.team_id, data.user_id)
        case users.MembershipRoleChangedEvent():
            await repository.leave_team(session, org_id, data.user_id, team_id=data.team_id, role=data.previous_role)
            await repository.join_team(session, org_id, data.team_id, data.user_id, data.role)
        case users.GuardianLinkedEvent():
            await repository.link_guardian(session, org_id, data.guardian_id, data.minor_id)
        case users.GuardianUnlinkedEvent():
            await repository.unlink_guardian(session, org_id, data.guardian_id, data.minor_id)


async def handle(session: AsyncSession, delivery: Delivery) -> None:
    await apply(session, delivery.event)


HANDLERS = tuple(
    Handler(model, handle)
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
        users.InvitationCreatedEvent,
        users.PasswordResetRequestedEvent,
        calendar.EventCreatedEvent,
        calendar.EventUpdatedEvent,
        calendar.EventCancelledEvent,
        calendar.RsvpRecordedEvent,
        medical.AvailabilityChangedEvent,
        payments.ReminderDueEvent,
    )
)


async def handle_private(session: AsyncSession, delivery: Delivery) -> None:
    """Users' private messages (contracts/private.py): a one-time link to e-mail, an account's address."""
    message = delivery.event
    match message:
        case private.AccountLinkIssuedMessage():
            await service.queue_account_link(session, settings_from_environment(), message)
        case private.ContactChangedMessage():
            await service.keep_contact(session, message)


PRIVATE_HANDLERS = (
    PrivateHandler(private.AccountLinkIssuedMessage, handle_private),
    PrivateHandler(private.ContactChangedMessage, handle_private),
)
