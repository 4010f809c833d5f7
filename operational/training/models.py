from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("training")


class SessionRpeLog(Base):
    """One session's RPE (CR-10) and duration as the player reported it."""

    __tablename__ = "session_rpe_logs"
    __table_args__ = (
        CheckConstraint("rpe BETWEEN 0 AND 10", name="rpe_range"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration_range"),
        Index("ix_session_rpe_logs_player_date", "org_id", "player_id", "session_date"),
        Index("ix_session_rpe_logs_session_id", "session_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    session_date: Mapped[date] = mapped_column(Date)
    rpe: Mapped[int] = mapped_column(SmallInteger)
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    session_rpe_load_au: Mapped[int]
    logged_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    session_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Exercise(Base):
    """A library exercise: predefined (org_id NULL, everyone sees it) or a club's own."""

    __tablename__ = "exercises"
    __table_args__ = (Index("ix_exercises_org_name", "org_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)  # on_ice, strength, conditioning, mobility, power, agility
    equipment: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    muscle_groups: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    instructions: Mapped[str] = mapped_column(Text, default="")
    # the test whose latest result personalises loads given as a percentage (e.g. back squat → "1RM back squat")
    reference_test_name: Mapped[str | None] = mapped_column(Text)
    # restrictions (contracts.medical.Restriction) under which this exercise is not suitable
    unsuitable_for: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WorkoutTemplate(Base):
    """Blocks of exercises; ``blocks`` is a list of {name, exercises: [{exercise_id, sets, reps, load…}]}."""

    __tablename__ = "workout_templates"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    blocks: Mapped[list] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TrainingSession(Base):
    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("workout_templates.id"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    title: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    planned_duration_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    planned_rpe: Mapped[int | None] = mapped_column(SmallInteger)
    calendar_event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SessionAssignment(Base):
    """One player's copy of a session, with loads personalised from their latest test results."""

    __tablename__ = "session_assignments"
    __table_args__ = (UniqueConstraint("session_id", "player_id", name="uq_session_assignments_session_player"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    prescription: Mapped[list] = mapped_column(JSONB)  # the template's blocks with loads resolved for this player
    status: Mapped[str] = mapped_column(Text, default="assigned")  # assigned, started, completed
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    performed: Mapped[list | None] = mapped_column(JSONB)  # what the player actually did


class WellnessEntry(Base):
    __tablename__ = "wellness_entries"
    __table_args__ = (UniqueConstraint("player_id", "wellness_date", name="uq_wellness_entries_player_date"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    wellness_date: Mapped[date] = mapped_column(Date)
    instrument: Mapped[str] = mapped_column(Text)
    items: Mapped[dict] = mapped_column(JSONB)
    total_score: Mapped[int] = mapped_column(SmallInteger)
    sleep_hours: Mapped[float | None] = mapped_column(Numeric(4, 2, asdecimal=False))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the athlete, or a guardian for a minor (NULL for answers kept from before this was recorded)
    answered_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TeamSetting(Base):
    """Per-team training settings (which wellness questionnaire the team answers)."""

    __tablename__ = "team_settings"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    wellness_instrument: Mapped[str] = mapped_column(Text, default="hooper")


class ClubSetting(Base):
    """The club's own training choices, kept from ``users.club_configuration.changed``: the wellness questionnaire a
    team answers unless it chose its own."""

    __tablename__ = "club_settings"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    wellness_instrument: Mapped[str] = mapped_column(Text)
    # the configuration event's time: an older event arriving late changes nothing
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PhysicalTest(Base):
    __tablename__ = "physical_tests"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_physical_tests_org_name"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(Text)  # higher_is_better | lower_is_better
    description: Mapped[str] = mapped_column(Text, default="")


class TestResult(Base):
    __test__ = False  # a domain name, not a pytest test class
    __tablename__ = "test_results"
    __table_args__ = (Index("ix_test_results_player_test_date", "player_id", "test_id", "tested_on"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("physical_tests.id"))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    value: Mapped[float] = mapped_column(Numeric(10, 3, asdecimal=False))
    tested_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class PlayerAvailability(Base):
    """Read model of medical availability (from medical.availability.changed): status and restrictions only."""

    __tablename__ = "player_availability"

    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)
    restrictions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    effective_from: Mapped[date] = mapped_column(Date)
    expected_until: Mapped[date | None] = mapped_column(Date)
    note_for_staff: Mapped[str | None] = mapped_column(Text)
    source_event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RosterEntry(Base):
    """Read model of team memberships (from users events): who plays for and who coaches which team."""

    __tablename__ = "roster"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class RosterPeriod(Base):
    """Read model of who was on which team when: a log dated months ago is filed under the team the player was on
    that day. ``started_on`` NULL: since before the read model kept history; ``ended_on`` is the first day off the
    team (NULL: still on it)."""

    __tablename__ = "roster_periods"
    __table_args__ = (Index("ix_roster_periods_user", "org_id", "user_id", "role"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class CalendarEntry(Base):
    """Read model of the club's calendar events (from calendar events): a session planned for a calendar event names
    one of its own club."""

    __tablename__ = "calendar_events"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


outbox = Outbox(make_outbox_table(Base.metadata))
