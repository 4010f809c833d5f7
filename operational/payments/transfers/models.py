"""The player-transfer saga's stored state (schema ``payments``): one row per transfer and one per step, so a worker
that dies half way knows, when it starts again, what was done and what to do or undo next.

A transfer is ``running`` (steps are being done in order), ``completed`` (all done), ``compensating`` (a step failed
for good; the done steps are being undone, last first) or ``compensated`` (every done step undone). A step is
``pending``, ``done`` or ``compensated``; ``attempts`` counts the times it was started (more than one: a worker
stopped in it, or it failed for a passing reason and was tried again).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, SmallInteger, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from operational.payments.models import Base

TRANSFER_STATUSES = ("running", "completed", "compensating", "compensated")
STEP_STATUSES = ("pending", "done", "compensated")


class Transfer(Base):
    """A player moving from one team to another, in the same club or into another club (``to_org_id``, where the
    player has an account ``to_player_id``)."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint(f"status IN {TRANSFER_STATUSES}", name="status"),
        Index("ix_transfers_unfinished", "status", postgresql_where=text("status IN ('running', 'compensating')")),
        Index("ix_transfers_to_org", "to_org_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)  # the club the player leaves
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    to_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    to_player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    to_team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(Text, default="player")
    effective_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text, default="running")
    failure: Mapped[str | None] = mapped_column(Text)  # why it was compensated, in words
    started_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TransferStep(Base):
    """One step of a transfer: what it did (``result``, what its compensation needs) and where it stands."""

    __tablename__ = "transfer_steps"
    __table_args__ = (CheckConstraint(f"status IN {STEP_STATUSES}", name="status"),)

    transfer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transfers.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    sequence: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(Text, default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    result: Mapped[dict] = mapped_column(JSONB, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
