"""Events the comms service emits, for the warehouse. Never a message's or an announcement's text: who wrote where,
what was announced to which team and who acknowledged it, and how each notification fared."""

from __future__ import annotations

import uuid
from datetime import datetime

from contracts import comms as contract
from operational.comms.models import Announcement, Conversation, Message
from operational.kit.auth import Principal
from operational.kit.events import new_event


def message_sent(conversation: Conversation, message: Message, actor: Principal, attachment_count: int = 0):
    data = contract.MessageSent(
        message_id=message.id,
        conversation_id=conversation.id,
        conversation_kind=conversation.kind,
        team_id=conversation.team_id if conversation.kind == "team" else None,
        sender_id=message.author_id,
        attachment_count=attachment_count,
    )
    return new_event(contract.MessageSentEvent, org_id=message.org_id, subject_id=message.id, actor=actor, data=data)


def message_edited(message: Message, actor: Principal):
    data = contract.MessageEdited(
        message_id=message.id,
        conversation_id=message.conversation_id,
        sender_id=message.author_id,
        edited_at=message.edited_at,
    )
    return new_event(contract.MessageEditedEvent, org_id=message.org_id, subject_id=message.id, actor=actor, data=data)


def message_deleted(message: Message, actor: Principal):
    data = contract.MessageDeleted(
        message_id=message.id,
        conversation_id=message.conversation_id,
        sender_id=message.author_id,
        deleted_at=message.deleted_at,
    )
    return new_event(contract.MessageDeletedEvent, org_id=message.org_id, subject_id=message.id, actor=actor, data=data)


def announcement_published(announcement: Announcement, actor: Principal):
    data = contract.AnnouncementPublished(
        announcement_id=announcement.id,
        team_id=announcement.team_id,
        requires_ack=announcement.requires_acknowledgement,
        deadline=announcement.deadline,
    )
    return new_event(
        contract.AnnouncementPublishedEvent,
        org_id=announcement.org_id,
        subject_id=announcement.id,
        actor=actor,
        data=data,
    )


def announcement_acknowledged(
    announcement: Announcement, player_id: uuid.UUID, actor: Principal, acknowledged_at: datetime
):
    data = contract.AnnouncementAcknowledged(
        announcement_id=announcement.id,
        player_id=player_id,
        acknowledged_by=actor.user_id,
        acknowledged_at=acknowledged_at,
    )
    return new_event(
        contract.AnnouncementAcknowledgedEvent,
        org_id=announcement.org_id,
        subject_id=announcement.id,
        actor=actor,
        data=data,
    )


def notification_delivered(
    *,
    notification_id: uuid.UUID,
    org_id: uuid.UUID,
    recipient_id: uuid.UUID,
    channel: str,
    category: str,
    outcome: str,
):
    data = contract.NotificationDelivered(
        notification_id=notification_id,
        recipient_id=recipient_id,
        channel=channel,
        category=category,
        outcome=outcome,
    )
    return new_event(
        contract.NotificationDeliveredEvent, org_id=org_id, subject_id=notification_id, actor=None, data=data
    )
