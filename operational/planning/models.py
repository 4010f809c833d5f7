"""The planning service's tables (schema ``planning``): season plans with phases, mesocycles and weeks; key games'
priorities; goals and development plans; and the read models kept from users and calendar events."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("planning")


class SeasonPlan(Base):
    """A team's plan for one season, from ``starts_on`` to ``ends_on`` (both included)."""

    __tablename__ = "season_plans"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="dates_in_order"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    name: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Phase(Base):
    """A part of the season: pre-season, in-season, playoffs or off-season."""

    __tablename__ = "phases"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="dates_in_order"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("season_plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(Text)  # contracts.planning.PhaseKind
    name: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class Mesocycle(Base):
    """A block of weeks with one aim (typically 3–6 weeks), inside a phase when it names one."""

    __tablename__ = "mesocycles"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="dates_in_order"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("season_plans.id", ondelete="CASCADE"), index=True)
    phase_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("phases.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    focus: Mapped[str] = mapped_column(Text, default="")


class PlanWeek(Base):
    """A microcycle: the week starting on Monday ``week_start``, its planned sessions and load (sRPE, AU), the share
    of sessions at each intensity (percent) and its focus."""

    __tablename__ = "weeks"
    __table_args__ = (
        UniqueConstraint("plan_id", "week_start", name="uq_weeks_plan_week_start"),
        CheckConstraint("extract(isodow from week_start) = 1", name="starts_on_monday"),
        CheckConstraint("planned_load_au >= 0", name="load_not_negative"),
        CheckConstraint("low_pct + moderate_pct + high_pct = 100", name="intensity_sums_to_100"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("season_plans.id", ondelete="CASCADE"), index=True)
    mesocycle_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mesocycles.id", ondelete="SET NULL"))
    week_start: Mapped[date] = mapped_column(Date)
    focus: Mapped[str] = mapped_column(Text, default="")
    planned_sessions: Mapped[int] = mapped_column(SmallInteger)
    planned_load_au: Mapped[int] = mapped_column(Integer)
    low_pct: Mapped[int] = mapped_column(SmallInteger)
    moderate_pct: Mapped[int] = mapped_column(SmallInteger)
    high_pct: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class KeyGamePriority(Base):
    """The priority a team's staff gave a game (A: peak for it, B: light taper, C: train through)."""

    __tablename__ = "key_game_priorities"

    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    priority: Mapped[str] = mapped_column(Text)
    set_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Goal(Base):
    """A measurable target for a team (``player_id`` NULL) or a player; its progress is computed in the warehouse."""

    __tablename__ = "goals"
    __table_args__ = (
        CheckConstraint("starts_on <= due_on", name="dates_in_order"),
        Index("ix_goals_org_team", "org_id", "team_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    development_plan_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("development_plans.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(Text)  # contracts.planning.GoalMetric
    test_name: Mapped[str | None] = mapped_column(Text)
    comparator: Mapped[str] = mapped_column(Text, default="at_least")
    target_value: Mapped[float] = mapped_column(Float)
    target_max_value: Mapped[float | None] = mapped_column(Float)
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DevelopmentPlan(Base):
    """A player's development plan: focus areas, the goals tied to it, and its reviews."""

    __tablename__ = "development_plans"
    __table_args__ = (Index("ix_development_plans_org_player", "org_id", "player_id"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    focus_areas: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DevelopmentReview(Base):
    """A review of a development plan: when, who wrote it, and what it says."""

    __tablename__ = "development_reviews"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    development_plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("development_plans.id", ondelete="CASCADE"), index=True
    )
    reviewed_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    summary: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# --- read models ----------------------------------------------------------------------------------------------------
class RosterEntry(Base):
    """Read model of team memberships (from users events): who plays for and who coaches which team."""

    __tablename__ = "roster"

    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class CalendarGame(Base):
    """Read model of the club's games and other key events (from calendar events): when and for which team."""

    __tablename__ = "calendar_games"
    __table_args__ = (Index("ix_calendar_games_team_start", "org_id", "team_id", "starts_at"),)

    series_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


outbox = Outbox(make_outbox_table(Base.metadata))
