"""The medical service's tables (schema ``medical``). Clinical detail lives only here; what leaves the service is in
contracts/medical.py. ``access_log`` is append-only and hash-chained (migration 0001 installs the triggers)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("medical")


class HealthProblem(Base):
    """An injury or illness of a player (IOC 2020 consensus): its OSIICS code, circumstances and dates."""

    __tablename__ = "health_problems"
    __table_args__ = (
        CheckConstraint("kind IN ('injury', 'illness')", name="kind"),
        CheckConstraint("partial_return_date IS NULL OR partial_return_date >= onset_date", name="partial_after_onset"),
        CheckConstraint("full_training_date IS NULL OR full_training_date >= onset_date", name="full_after_onset"),
        CheckConstraint("return_to_play_date IS NULL OR return_to_play_date >= onset_date", name="return_after_onset"),
        Index("ix_health_problems_player", "org_id", "player_id", "onset_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    osiics_code: Mapped[str] = mapped_column(Text)
    side: Mapped[str | None] = mapped_column(Text)  # left, right, bilateral
    onset: Mapped[str] = mapped_column(Text)  # sudden, gradual
    mechanism: Mapped[str | None] = mapped_column(Text)  # contact, non_contact (injuries)
    activity: Mapped[str] = mapped_column(Text)  # practice, game, other
    time_loss: Mapped[bool] = mapped_column(Boolean)
    onset_date: Mapped[date] = mapped_column(Date)
    partial_return_date: Mapped[date | None] = mapped_column(Date)
    full_training_date: Mapped[date | None] = mapped_column(Date)
    return_to_play_date: Mapped[date | None] = mapped_column(Date)
    expected_return_date: Mapped[date | None] = mapped_column(Date)
    # what the player may not do while limited (contracts.medical.Restriction codes)
    restrictions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recurrence_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("health_problems.id"))
    recorded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Treatment(Base):
    __tablename__ = "treatments"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("health_problems.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    treated_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(Text)
    clinician: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReturnToPlay(Base):
    """A return-to-play protocol followed for one problem, and the stage the player is at."""

    __tablename__ = "return_to_play"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("health_problems.id", ondelete="CASCADE"), unique=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    protocol: Mapped[str] = mapped_column(Text)
    stage: Mapped[int] = mapped_column(SmallInteger)
    stage_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StageChange(Base):
    __tablename__ = "return_to_play_stage_changes"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    return_to_play_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_to_play.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[int | None] = mapped_column(SmallInteger)
    to_stage: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(Text)  # started, advanced, symptoms_returned, completed
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LibraryExercise(Base):
    """Read model of a club's own training exercises (from training events); the predefined ones are package data
    (operational.training.data), not rows here."""

    __tablename__ = "library_exercises"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RehabPlan(Base):
    """The rehabilitation plan of one problem: its dates, goal and exercises from the training library.

    ``exercises`` is a list of {exercise_id, name (as it was when saved), category, phase, sets, reps, load,
    times_per_week, notes}."""

    __tablename__ = "rehab_plans"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("health_problems.id", ondelete="CASCADE"), unique=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(Text, default="")
    exercises: Mapped[list[dict]] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Availability(Base):
    """A player's current availability: derived from open problems, or set by medical staff (``source``)."""

    __tablename__ = "availability"

    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)
    restrictions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    effective_from: Mapped[date] = mapped_column(Date)
    expected_until: Mapped[date | None] = mapped_column(Date)
    note_for_staff: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # derived, set_by_staff
    updated_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OstrcResponse(Base):
    """A week's OSTRC-H2 answers (Clarsen et al. 2020, BJSM 54:390): four questions, severity 0–100."""

    __tablename__ = "ostrc_responses"
    __table_args__ = (Index("ix_ostrc_responses_player_week", "org_id", "player_id", "week_start"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    week_start: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict] = mapped_column(JSONB)
    problem_kind: Mapped[str | None] = mapped_column(Text)
    severity_score: Mapped[int] = mapped_column(SmallInteger)
    substantial: Mapped[bool] = mapped_column(Boolean)
    answered_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MedicalTask(Base):
    """Something medical staff should do: follow up a problem a player reported in the weekly questionnaire."""

    __tablename__ = "tasks"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    response_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ostrc_responses.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AccessLogEntry(Base):
    """Who read or changed which clinical record of a player, when and why. Rows are never updated or deleted
    (Postgres refuses); ``row_hash`` covers the row and the previous row's hash in the same club."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_player", "org_id", "player_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    actor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    actor_role: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)  # read, create, update, delete
    record_type: Mapped[str] = mapped_column(Text)
    record_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    purpose: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())
    previous_hash: Mapped[str | None] = mapped_column(Text)
    row_hash: Mapped[str | None] = mapped_column(Text)


class DocumentKey(Base):
    """A player's document key, wrapped by the service's key-encryption key. Deleting it shreds every document of
    the player, wherever copies of the ciphertext are."""

    __tablename__ = "document_keys"

    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Document(Base):
    """A medical document of a problem (a scan, a report): what it is; its encrypted bytes are in the storage."""

    __tablename__ = "documents"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("health_problems.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RosterEntry(Base):
    """Read model of team memberships (from users events): who plays for and who coaches which team."""

    __tablename__ = "roster"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


outbox = Outbox(make_outbox_table(Base.metadata))
