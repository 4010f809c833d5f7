from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Index, SmallInteger, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from operational.kit.db import service_base
from operational.kit.outbox import Outbox, make_outbox_table

Base = service_base("training")


class SessionRpeLog(Base):
    """One session's RPE (CR-10) and duration as the player reported it."""

    __tablename__ = "session_rpe_logs"
    __table_args__ = (
        CheckConstraint("rpe BETWEEN 0 AND 10", name="rpe_range"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration_range"),
        Index("ix_session_rpe_logs_player_date", "org_id", "player_id", "session_date"),
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


outbox = Outbox(make_outbox_table(Base.metadata))
