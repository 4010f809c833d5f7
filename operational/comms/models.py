"""The comms service's tables (schema ``comms``): notifications, and the read models kept from users events (people,
teams, rosters, guardians) that say who a notification goes to."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("comms")

CHANNELS = ("in_app", "email", "push", "sms")
CATEGORIES = ("schedule", "account", "availability", "announcement", "payment")


class Notification(Base):
    """One thing told to one person on one channel. ``kind`` and ``data`` are what happened; the text is rendered in
    the reader's language when it is read (in-app) or sent (e-mail). A redelivered event finds its row already there
    (unique event, recipient, channel) and tells nobody twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "recipient_id", "channel", name="uq_notifications_event_recipient_channel"),
        CheckConstraint(f"channel IN {CHANNELS}", name="channel_known"),
        CheckConstraint(f"category IN {CATEGORIES}", name="category_known"),
        Index("ix_notifications_recipient", "org_id", "recipient_id", "channel", "created_at"),
        Index(
            "ix_notifications_pending_email",
            "not_before",
            postgresql_where=text("channel = 'email' AND status = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    recipient_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    channel: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSONB, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # e-mail only: pending until the mail port took it, then sent (or failed with ``attempts`` tries)
    status: Mapped[str] = mapped_column(Text, server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    # e-mail to a minor raised in the club's quiet hours waits until they end (delayed, never dropped)
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class Preference(Base):
    """How a person wants to be told: their language, the address e-mail goes to (none: no e-mail), and the
    (category, channel) pairs they turned off, written ``"schedule:email"``."""

    __tablename__ = "preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    language: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    muted: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    # categories whose e-mail comes once a day, together (mail/digest.py), at the digest time on this clock
    digest: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    time_zone: Mapped[str | None] = mapped_column(Text)
    # where SMS goes (E.164), set by the person themselves; none: no SMS
    phone: Mapped[str | None] = mapped_column(Text)


class PushSubscription(Base):
    """A browser's web push subscription (the Push API's ``PushSubscription``): the push service's endpoint URL and
    the browser's keys (``p256dh``: its P-256 public key, ``auth``: the shared secret, both base64url). Removed when
    the person unsubscribes or the push service says it is gone (404, 410)."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "endpoint", name="uq_push_subscriptions_user_endpoint"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(Text)
    auth: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Digest(Base):
    """A daily digest sent to a person on a day of their own clock: at most one a day."""

    __tablename__ = "digests"

    recipient_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    local_day: Mapped[date] = mapped_column(Date, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Contact(Base):
    """Read model from users' private messages (contracts/private.py): the account's own address and language, so
    e-mail reaches everyone who has one. A person's own choice in ``Preference`` comes first."""

    __tablename__ = "contacts"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    email: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)


class Person(Base):
    """Read model from users events: names, the year of birth (minors) and whether the account is active."""

    __tablename__ = "people"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    full_name: Mapped[str] = mapped_column(Text)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    org_roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")


class Team(Base):
    """Read model from users events: team names, so a notification names the team."""

    __tablename__ = "teams"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)


class RosterEntry(Base):
    """Read model from users events: who is in which team, in which role."""

    __tablename__ = "roster"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class GuardianLink(Base):
    """Read model from users events: who may act for which minor (guardians hear what their child hears)."""

    __tablename__ = "guardians"

    guardian_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    minor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, index=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class CalendarEntry(Base):
    """Read model from calendar events: what an event is called and who it is for, so its cancellation (which
    carries neither) can be told to the right people in words they understand."""

    __tablename__ = "calendar_entries"

    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    player_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default="{}")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    time_zone: Mapped[str] = mapped_column(Text)
    # for RSVP reminders (rsvp/service.py): the series' rule, where a cancellation ended it, occurrences cancelled
    rrule: Mapped[str | None] = mapped_column(Text)
    ends_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    skipped_starts: Mapped[list[datetime]] = mapped_column(ARRAY(DateTime(timezone=True)), server_default="{}")


class RsvpAnswer(Base):
    """Read model from calendar events: who has answered which occurrence (the answer itself is the calendar's)."""

    __tablename__ = "rsvp_answers"

    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    occurrence_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


CONVERSATION_KINDS = ("team", "group", "private")


class Conversation(Base):
    """A team's channel (its members follow the roster), a group, or a private conversation. ``on_hold`` is set when
    the safeguarding rule no longer holds (the second adult left): nobody can post until an adult joins again."""

    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint(f"kind IN {CONVERSATION_KINDS}", name="kind_known"),
        Index("uq_conversations_team_channel", "team_id", unique=True, postgresql_where=text("kind = 'team'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    on_hold: Mapped[bool] = mapped_column(Boolean, server_default="false")


class ConversationMember(Base):
    """Who is in a conversation, and the last message they have read (the unread count starts after it)."""

    __tablename__ = "conversation_members"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, index=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_read_message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Message(Base):
    """A message; ids are UUIDv7, so id order is time order and an id is the cursor for what came after it. A
    deleted message keeps its place (and its replies) with its text gone."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str | None] = mapped_column(Text)
    reply_to_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SafeguardingAudit(Base):
    """Every decision of the safeguarding rule on a conversation with a minor in it (creation allowed or refused,
    a member leaving, a hold set or lifted): who, what, which members, why. Rows are only ever added."""

    __tablename__ = "safeguarding_audit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(Text)  # create, leave, join
    decision: Mapped[str] = mapped_column(Text)  # allowed, refused, on_hold, released
    member_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Announcement(Base):
    """A message from a team's staff to the team; when ``requires_acknowledgement`` each player (or a minor's
    guardian) confirms having read it, by ``deadline`` when there is one."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_team", "org_id", "team_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    author_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    requires_acknowledgement: Mapped[bool] = mapped_column(Boolean)
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Acknowledgement(Base):
    """A player's acknowledgement of an announcement: by the player, or by a guardian for a minor."""

    __tablename__ = "acknowledgements"

    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True
    )
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    acknowledged_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    acknowledged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# events for the warehouse, written in the transaction of the change (messaging/outbox.py)
outbox = Outbox(make_outbox_table(Base.metadata))
