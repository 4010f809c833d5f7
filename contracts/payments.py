"""Payments domain events: invoices as they change and payments as they arrive. Amounts are integer minor units of
an ISO 4217 currency (cents for EUR); nothing about a family's hardship or a bank account travels."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from contracts.envelope import Payload, define_event

InvoiceStatus = Literal["open", "paid", "void", "uncollectible"]
PaymentMethod = Literal["manual", "bank_transfer", "card", "credit_balance"]
Currency = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")


class InvoiceChanged(Payload):
    """An invoice was issued, paid (in part or in full), credited, voided or written off. The latest event of an
    invoice replaces the earlier ones. Drafts never leave the service."""

    invoice_id: uuid.UUID
    number: str = Field(description="The club's invoice number, also the bank transfer reference")
    player_id: uuid.UUID = Field(description="Whose fee it is")
    payer_id: uuid.UUID = Field(description="Who is asked to pay: a guardian, or the player")
    team_id: uuid.UUID | None = None
    status: InvoiceStatus
    currency: str = Currency
    total_minor: int = Field(ge=0, description="Amount invoiced, minor units")
    paid_minor: int = Field(ge=0, description="Paid so far, minor units")
    credited_minor: int = Field(ge=0, description="Taken off by credit notes, minor units")
    issued_on: date
    due_on: date
    paid_on: date | None = Field(None, description="The day the last amount due was settled")


class PaymentRecorded(Payload):
    """Money arrived for an invoice: marked by a treasurer, matched from a bank file, or taken by card."""

    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    amount_minor: int = Field(gt=0)
    currency: str = Currency
    method: PaymentMethod
    received_on: date


InvoiceChangedEvent = define_event("payments.invoice.changed", InvoiceChanged)
PaymentRecordedEvent = define_event("payments.payment.recorded", PaymentRecorded)


class RefundRecorded(Payload):
    """Money given back from a payment: to the card or account it came from, or to the payer's credit balance (which
    pays their next invoice first). The invoice's amount asked for goes down by the same amount."""

    refund_id: uuid.UUID
    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    amount_minor: int = Field(gt=0)
    currency: str = Currency
    destination: Literal["original", "credit_balance"]
    refunded_on: date


RefundRecordedEvent = define_event("payments.refund.recorded", RefundRecorded)


class ReminderDue(Payload):
    """An invoice is overdue and its payer should be reminded (comms delivers it). Only the overdue, unpaid part is
    reminded; a member the club marks as in hardship gets none. Never a reason to keep a minor from training."""

    reminder_id: uuid.UUID
    invoice_id: uuid.UUID
    number: str
    payer_id: uuid.UUID
    player_id: uuid.UUID
    team_id: uuid.UUID | None = None
    level: int = Field(ge=1, description="1 for the first reminder of the invoice, 2 for the second …")
    days_overdue: int = Field(ge=1)
    amount_due_minor: int = Field(gt=0, description="What is overdue and unpaid, minor units")
    currency: str = Currency
    pay_by: date = Field(description="The new deadline this reminder gives")


ReminderDueEvent = define_event("payments.reminder.due", ReminderDue)


class TransferFacts(Payload):
    """A player moving from one team to another (in the same club, or into another club where they have an account
    of their own, ``to_player_id``)."""

    transfer_id: uuid.UUID
    player_id: uuid.UUID = Field(description="The player's account in the club they leave")
    from_team_id: uuid.UUID
    to_org_id: uuid.UUID = Field(description="The club they join (the same club for a move between its teams)")
    to_player_id: uuid.UUID = Field(description="The player's account in the club they join")
    to_team_id: uuid.UUID
    effective_on: date = Field(description="The first day with the new team; fees are pro rata from here")


class TransferStarted(TransferFacts):
    """A player transfer began: memberships, the read models that follow them, and fees will change together."""


class TransferCompleted(TransferFacts):
    """Every step of a transfer was done: the player is in the new team, the old fee credited pro rata and the new
    one charged pro rata."""

    credited_minor: int = Field(ge=0, description="Taken off the old team's fee, minor units")
    charged_minor: int = Field(ge=0, description="Invoiced for the new team's fee, minor units")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="Of both amounts; none when both are 0")


class TransferCompensated(TransferFacts):
    """A step of a transfer failed for good and every step done before it was undone: the player is where they were,
    and so are the fees."""

    failed_step: str = Field(description="leave_old_team, join_new_team, credit_old_fee or charge_new_fee")
    reason: str


TransferStartedEvent = define_event("payments.transfer.started", TransferStarted)
TransferCompletedEvent = define_event("payments.transfer.completed", TransferCompleted)
TransferCompensatedEvent = define_event("payments.transfer.compensated", TransferCompensated)
