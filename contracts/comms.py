"""Comms domain events, for the warehouse: who wrote in which conversation (never what), announcements and their
acknowledgements, and how each notification fared on its channel."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import Payload, define_event

ConversationKind = Literal["team", "group", "private"]
Channel = Literal["in_app", "email", "push", "sms"]
Category = Literal["schedule", "account", "availability", "announcement", "payment"]
# sent: in the inbox (in-app) or taken by the mail relay (e-mail); failed: given up on (no address, or every try
# refused); bounced: the recipient's mail server returned it after it was sent
DeliveryOutcome = Literal["sent", "failed", "bounced"]


class MessageSent(Payload):
    """A message was posted. Carries no text: the body stays in the comms service."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    conversation_kind: ConversationKind
    team_id: uuid.UUID | None = Field(None, description="The team, when the conversation is a team's channel")
    sender_id: uuid.UUID
    attachment_count: int = Field(0, ge=0, description="How many files were sent with it")


class MessageEdited(Payload):
    """A message's author changed its text within the club's edit window (the texts stay in comms, where the earlier
    one is kept for the safeguarding audit)."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    sender_id: uuid.UUID
    edited_at: AwareDatetime


class MessageDeleted(Payload):
    """A message's author deleted it within the club's edit window: it shows as deleted (its text is kept for the
    safeguarding audit only)."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    sender_id: uuid.UUID
    deleted_at: AwareDatetime


class AnnouncementPublished(Payload):
    """A team's staff posted an announcement to the team (title and text stay in comms)."""

    announcement_id: uuid.UUID
    team_id: uuid.UUID
    requires_ack: bool
    deadline: AwareDatetime | None = Field(None, description="When acknowledgements are due, if ever")


class AnnouncementAcknowledged(Payload):
    """A player's acknowledgement of an announcement, by the player or a guardian; only the first one is sent."""

    announcement_id: uuid.UUID
    player_id: uuid.UUID
    acknowledged_by: uuid.UUID
    acknowledged_at: AwareDatetime


class NotificationDelivered(Payload):
    """How one notification fared on one channel (the final outcome; a retried e-mail is reported once)."""

    notification_id: uuid.UUID
    recipient_id: uuid.UUID
    channel: Channel
    category: Category
    outcome: DeliveryOutcome


MessageSentEvent = define_event("comms.message.sent", MessageSent)
MessageEditedEvent = define_event("comms.message.edited", MessageEdited)
MessageDeletedEvent = define_event("comms.message.deleted", MessageDeleted)
AnnouncementPublishedEvent = define_event("comms.announcement.published", AnnouncementPublished)
AnnouncementAcknowledgedEvent = define_event("comms.announcement.acknowledged", AnnouncementAcknowledged)
NotificationDeliveredEvent = define_event("comms.notification.delivered", NotificationDelivered)
