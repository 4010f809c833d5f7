"""Calendar tables: event series with their exceptions, resources and bookings, RSVPs, attendance, feed tokens, and
the read models kept from other services' events (rosters, availability)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    Sequence,
    SmallInteger,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("calendar")

EVENT_KINDS = ("practice", "game", "training_session", "meeting", "medical_appointment", "other")
# Bookings in these states hold their slot; the exclusion constraint only sees them.
ACTIVE_BOOKING_STATES = ("pending", "confirmed", "in_progress")
BOOKING_STATES = (*ACTIVE_BOOKING_STATES, "completed", "cancelled", "no_show", "waitlisted")

resource_key_seq = Sequence("resource_key_seq", metadata=Base.metadata)


class EventSeries(Base):
    """One event, or a recurring series of them: ``starts_local`` in ``time_zone``, repeated by ``rrule``."""

    __tablename__ = "event_series"
    __table_args__ = (
        CheckConstraint(f"kind IN {EVENT_KINDS}", name="kind_known"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        CheckConstraint("planned_rpe BETWEEN 0 AND 10", name="planned_rpe_range"),
        Index("ix_event_series_org_team", "org_id", "team_id"),
        Index("ix_event_series_org_span", "org_id", "first_starts_at", "last_ends_at"),
        Index("ix_event_series_org_creator", "org_id", "created_by"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    player_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default="{}")
    resource_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    location: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(Text, server_default="team")
    time_zone: Mapped[str] = mapped_column(Text)
    starts_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # the coach's intended RPE (CR-10): with the duration, the practice's planned session-RPE load
    planned_rpe: Mapped[int | None] = mapped_column(SmallInteger)
    rrule: Mapped[str | None] = mapped_column(Text)
    # the UTC span of the rule's own occurrences (a moved occurrence is found through its exception): list queries
    # prefilter on it before expanding, and the last original start is last_ends_at minus the duration
    first_starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rsvp_deadline_minutes: Mapped[int | None] = mapped_column(Integer)
    split_from_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    cancelled: Mapped[bool] = mapped_column(Boolean, server_default="false")
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # an entry kept from the training service's planned session (it follows the session's events, not the API)
    training_session_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), unique=True)
    # when the training event last applied to it happened: an older one arriving late changes nothing
    source_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OccurrenceException(Base):
    """One occurrence of a series changed or cancelled; ``occurrence_start`` is its original start (RECURRENCE-ID)."""

    __tablename__ = "occurrence_exceptions"
    __table_args__ = (UniqueConstraint("series_id", "occurrence_start", name="uq_occurrence_exceptions_occurrence"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    occurrence_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancelled: Mapped[bool] = mapped_column(Boolean, server_default="false")
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    title: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Resource(Base):
    """A rink, gym, room or bus that can be booked."""

    __tablename__ = "resources"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    # a number per resource for the exclusion constraint (gist has no uuid equality without btree_gist)
    resource_key: Mapped[int] = mapped_column(BigInteger, resource_key_seq, unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(Text)
    opens_at: Mapped[datetime | None] = mapped_column(Time)
    closes_at: Mapped[datetime | None] = mapped_column(Time)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(f"status IN {BOOKING_STATES}", name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        ExcludeConstraint(
            (text("int8range(resource_key, resource_key, '[]')"), "&&"),
            (text("tstzrange(starts_at, ends_at)"), "&&"),
            name="no_double_booking",
            using="gist",
            where=text(f"status IN {ACTIVE_BOOKING_STATES} AND override_reason IS NULL"),
        ),
        Index("ix_bookings_org_resource", "org_id", "resource_id", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    resource_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    resource_key: Mapped[int] = mapped_column(BigInteger)
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    series_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    occurrence_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    # a club admin's recorded reason for booking over another booking
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    requested_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Rsvp(Base):
    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("series_id", "occurrence_start", "player_id", name="uq_rsvps_answer"),
        CheckConstraint("response IN ('going', 'not_going', 'maybe')", name="response_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    occurrence_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    response: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("series_id", "occurrence_start", "player_id", name="uq_attendance_record"),
        CheckConstraint("status IN ('present', 'absent', 'late', 'excused')", name="status_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    occurrence_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedToken(Base):
    """A secret iCalendar URL of one person's or one team's calendar; revoking it stops the feed."""

    __tablename__ = "feed_tokens"
    __table_args__ = (Index("ix_feed_tokens_org_owner", "org_id", "owner_id"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    token_sha256: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FeedFetchDay(Base):
    """A day on which a person's own feed was fetched: its primary key lets one fetch a day become a usage event,
    however often calendar apps poll."""

    __tablename__ = "feed_fetch_days"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class TeamName(Base):
    """Read model from users events: team names, for conflicts a person understands."""

    __tablename__ = "teams"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)


class PersonName(Base):
    """Read model from users events: people's names, club-wide roles and whether their account is active."""

    __tablename__ = "people"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    full_name: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    org_roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")


class GuardianLink(Base):
    """Read model from users events: who may act for which minor (for feeds, served without a token)."""

    __tablename__ = "guardians"

    guardian_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    minor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class RosterEntry(Base):
    """Read model from users events: who is in which team, in which role."""

    __tablename__ = "roster"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)


class PlayerAvailability(Base):
    """Read model from medical events: a player's current availability (no clinical detail)."""

    __tablename__ = "player_availability"

    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)
    restrictions: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    effective_from: Mapped[date] = mapped_column(Date)
    expected_until: Mapped[date | None] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


outbox = Outbox(make_outbox_table(Base.metadata))
