"""The payments service's tables (schema ``payments``): fee plans, invoices, credit notes, payments, and the roster
read model (who plays for which team since when, and who is whose guardian) kept from users events.

Amounts are integer minor units (``*_minor``) of the row's ISO 4217 ``currency``.
"""

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
    Integer,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from messaging.outbox import Outbox, make_outbox_table
from operational.kit.db import service_base

Base = service_base("payments")

INVOICE_STATUSES = ("draft", "open", "paid", "void", "uncollectible")


class FeePlan(Base):
    """A season's fee for a team: the amount, the sibling discount, and whether a child's fee is split between
    their guardians. A player who joins after ``season_start`` pays pro rata for the days left."""

    __tablename__ = "fee_plans"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("sibling_discount_percent BETWEEN 0 AND 100", name="discount_percent"),
        CheckConstraint("season_end >= season_start", name="season_order"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(Text)
    season_start: Mapped[date] = mapped_column(Date)
    season_end: Mapped[date] = mapped_column(Date)
    sibling_discount_percent: Mapped[int] = mapped_column(SmallInteger, default=0)
    split_between_guardians: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Invoice(Base):
    """What one payer owes for one player: draft → open → paid / void / uncollectible.

    ``lines`` is a list of ``{"description", "amount_minor"}`` (a discount is a negative line); ``total_minor`` is
    their sum. What is still due is ``total_minor - paid_minor - credited_minor``.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(f"status IN {INVOICE_STATUSES}", name="status"),
        CheckConstraint("total_minor >= 0 AND paid_minor >= 0 AND credited_minor >= 0", name="amounts"),
        CheckConstraint("paid_minor + credited_minor <= total_minor", name="not_overpaid"),
        UniqueConstraint("org_id", "number", name="uq_invoices_org_number"),
        Index("ix_invoices_player", "org_id", "player_id"),
        Index("ix_invoices_payer", "org_id", "payer_id"),
        Index("ix_invoices_fee_plan", "fee_plan_id", "player_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="draft")
    player_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    payer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    team_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    fee_plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("fee_plans.id"))
    currency: Mapped[str] = mapped_column(Text)
    lines: Mapped[list[dict]] = mapped_column(JSONB, default=list)
    total_minor: Mapped[int] = mapped_column(Integer)
    paid_minor: Mapped[int] = mapped_column(Integer, default=0)
    credited_minor: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @property
    def due_minor(self) -> int:
        return self.total_minor - self.paid_minor - self.credited_minor


class CreditNote(Base):
    """An amount taken off an issued invoice (a fee reduced after the fact), with the reason the payer reads."""

    __tablename__ = "credit_notes"
    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Payment(Base):
    """Money received for an invoice. A ``reference`` (the bank's transaction id) is recorded once per invoice, so a
    bank line imported twice, or a payment marked twice, is one payment."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("method IN ('manual', 'bank_transfer', 'card', 'credit_balance')", name="method"),
        UniqueConstraint("invoice_id", "reference", name="uq_payments_invoice_reference"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # None: the card provider
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Refund(Base):
    """Money given back from a payment: to where it came from (a card refund at the provider, or a transfer the
    treasurer makes by hand), or to the payer's credit balance, which pays their next invoice first."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("destination IN ('original', 'credit_balance')", name="destination"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(Text)
    destination: Mapped[str] = mapped_column(Text)
    provider_refund_id: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CreditEntry(Base):
    """The payer's credit balance as a ledger: a refund to credit adds (positive), an invoice it pays takes
    (negative). The balance is the sum of a payer's entries in one currency."""

    __tablename__ = "credit_entries"
    __table_args__ = (Index("ix_credit_entries_payer", "org_id", "payer_id", "currency"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    payer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    currency: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(Integer)
    refund_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("refunds.id"))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Instalment(Base):
    """One part of an invoice's amount due on its own day (2 to 12 parts). Payments settle instalments in order."""

    __tablename__ = "instalments"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("(payment_method = 'card') = (card IS NOT NULL)", name="card_for_card"),
        UniqueConstraint("invoice_id", "sequence", name="uq_instalments_invoice_sequence"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(SmallInteger)
    due_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Integer)
    # how this part is paid: bank_transfer, or card with the saved card (Stripe's PaymentMethod id); the payer
    # changes it for the parts still to come
    payment_method: Mapped[str] = mapped_column(Text, server_default="bank_transfer")
    card: Mapped[str | None] = mapped_column(Text)


class ReminderPolicy(Base):
    """A club's reminder levels: ``days_to_pay[n]`` is how many days reminder n+1 gives before the next one is due
    (hitobito's levels; default 30, 14, 5: three reminders)."""

    __tablename__ = "reminder_policies"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    days_to_pay: Mapped[list[int]] = mapped_column(ARRAY(Integer))


class Reminder(Base):
    """A reminder sent for an invoice: its level, what was overdue, and the new deadline it gave."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("invoice_id", "level", name="uq_reminders_invoice_level"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    sent_on: Mapped[date] = mapped_column(Date)
    amount_due_minor: Mapped[int] = mapped_column(Integer)
    pay_by: Mapped[date] = mapped_column(Date)


class Hardship(Base):
    """A member the club knows cannot pay for now: no reminders for invoices they pay or that are for them."""

    __tablename__ = "hardship"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    marked_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RosterEntry(Base):
    """Read model: a person's role in a team since ``joined_on`` (from users events)."""

    __tablename__ = "roster"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    joined_on: Mapped[date] = mapped_column(Date)


class DirectoryName(Base):
    """Read model: the name of a person or a team (``kind``), for invoices people read (from users events)."""

    __tablename__ = "names"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    kind: Mapped[str] = mapped_column(Text)  # person, team
    name: Mapped[str] = mapped_column(Text)


class GuardianEntry(Base):
    """Read model: a guardian who acts for a minor (from users events); siblings share a guardian."""

    __tablename__ = "guardians"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    guardian_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    minor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)


outbox = Outbox(make_outbox_table(Base.metadata))
