"""Request and response shapes of fee plans, invoices, credit notes and payments. Amounts are integer minor units
(``*_minor``: cents for EUR) of an ISO 4217 ``currency``; each read also carries the amounts as a person reads them in
the caller's language (``*_display``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from babel.numbers import list_currencies
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from operational.kit.pagination import Page
from operational.kit.schemas import Day, SingleLine, WriteModel

InvoiceStatus = Literal["draft", "open", "paid", "void", "uncollectible"]
ManualMethod = Literal["manual", "bank_transfer"]
MAX_AMOUNT_MINOR = 100_000_000  # a million in a two-digit currency: far above any club fee


def _known_currency(code: str) -> str:
    if code not in list_currencies():
        raise ValueError(f"'{code}' is not an ISO 4217 currency code (e.g. EUR, CHF, SEK)")
    return code


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"]), AfterValidator(_known_currency)]
AmountMinor = Annotated[int, Field(gt=0, le=MAX_AMOUNT_MINOR, description="Minor units: 22500 is €225.00")]


# --- fee plans ------------------------------------------------------------------------------------------------------
class FeePlanCreate(WriteModel):
    team_id: uuid.UUID
    name: SingleLine = Field(min_length=1, max_length=120, examples=["U16 season fee 2026-27"])
    amount_minor: AmountMinor
    currency: Currency | None = Field(None, description="Default: the club's currency (EUR unless configured)")
    season_start: Day
    season_end: Day
    sibling_discount_percent: int = Field(
        0, ge=0, le=100, description="Taken off the fee of each further child of a family in the same season"
    )
    split_between_guardians: bool = Field(
        True, description="A child with several guardians gets one invoice per guardian, each for an equal share"
    )

    @model_validator(mode="after")
    def _season_in_order(self) -> FeePlanCreate:
        if self.season_end < self.season_start:
            raise ValueError("season_end must be on or after season_start")
        return self


class FeePlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    team_id: uuid.UUID
    name: str
    amount_minor: int
    currency: str
    season_start: date
    season_end: date
    sibling_discount_percent: int
    split_between_guardians: bool
    amount_display: str = ""


class FeePlanPage(Page[FeePlanRead]):
    pass


class InvoiceRunCreate(WriteModel):
    due_on: Day | None = Field(None, description="Default: 30 days from today")


# --- invoices -------------------------------------------------------------------------------------------------------
class InvoiceLine(BaseModel):
    description: str
    amount_minor: int


class CreditNoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    amount_minor: int
    reason: str
    created_at: datetime


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    invoice_id: uuid.UUID
    amount_minor: int
    currency: str
    method: str
    reference: str | None
    received_on: date


class InvoiceRead(BaseModel):
    id: uuid.UUID
    number: str
    status: InvoiceStatus
    player_id: uuid.UUID
    payer_id: uuid.UUID
    team_id: uuid.UUID | None
    fee_plan_id: uuid.UUID | None
    player_name: str | None = Field(None, description="Unknown until the directory has caught up")
    payer_name: str | None = None
    team_name: str | None = None
    currency: str
    lines: list[InvoiceLine]
    total_minor: int
    paid_minor: int
    credited_minor: int
    due_minor: int = Field(description="Still to pay: total − paid − credited")
    due_on: date
    issued_on: date | None
    paid_on: date | None
    total_display: str
    due_display: str
    credit_notes: list[CreditNoteRead] = Field(default_factory=list)
    payments: list[PaymentRead] = Field(default_factory=list)
    refunds: list[RefundRead] = Field(default_factory=list)
    instalments: list[InstalmentRead] = Field(default_factory=list)
    reminders: list[ReminderRead] = Field(default_factory=list)


class InvoicePage(Page[InvoiceRead]):
    pass


class InvoiceRunRead(BaseModel):
    created: int = Field(description="Draft invoices made by this run")
    skipped_player_ids: list[uuid.UUID] = Field(description="Players who already had an invoice of this fee plan")
    invoices: list[InvoiceRead]


class CreditNoteCreate(WriteModel):
    amount_minor: AmountMinor
    reason: SingleLine = Field(min_length=1, max_length=200, examples=["Injured for half the season"])


class PaymentCreate(WriteModel):
    amount_minor: AmountMinor
    method: ManualMethod = "bank_transfer"
    reference: SingleLine | None = Field(
        None, min_length=1, max_length=120, description="The bank's transaction id: the same one is recorded once"
    )
    received_on: Day | None = Field(None, description="Default: today")


# --- bank files -----------------------------------------------------------------------------------------------------
class BankImportCreate(WriteModel):
    csv: str = Field(
        min_length=1,
        max_length=2_000_000,
        description="The bank statement as CSV with the columns date, amount, reference, transaction_id",
    )


class BankLineResult(BaseModel):
    line: int = Field(description="Line of the file (the header is line 1)")
    transaction_id: str
    invoice_number: str | None
    outcome: Literal["recorded", "already_recorded", "skipped"]
    reason: str | None = Field(None, description="Why a line was skipped")
    payment_id: uuid.UUID | None = None


class BankImportRead(BaseModel):
    recorded: int
    already_recorded: int
    skipped: int
    lines: list[BankLineResult]


# --- paying ---------------------------------------------------------------------------------------------------------
class CheckoutCreate(WriteModel):
    method: Literal["card", "bank_transfer"] = "card"
    amount_minor: AmountMinor | None = Field(None, description="Default: everything still due")


class PaymentStartRead(BaseModel):
    """How to pay: for a card, the client secret the card form confirms; for a bank transfer, the account and the
    reference to quote."""

    model_config = ConfigDict(from_attributes=True)

    method: Literal["card", "bank_transfer"]
    amount_minor: int
    currency: str
    amount_display: str = ""
    reference: str = Field(description="The invoice number: quote it with a bank transfer")
    provider_payment_id: str | None = None
    client_secret: str | None = None
    account_name: str | None = None
    iban: str | None = None
    bic: str | None = None


class WebhookReceipt(BaseModel):
    received: bool = True
    outcome: str


# --- refunds and instalments ----------------------------------------------------------------------------------------
class RefundCreate(WriteModel):
    amount_minor: AmountMinor | None = Field(None, description="Default: all of the payment not refunded yet")
    destination: Literal["original", "credit_balance"] = Field(
        "original",
        description="original: back to the card (at the provider) or the account (the treasurer transfers it); "
        "credit_balance: kept for the payer's next invoice",
    )
    reason: SingleLine = Field(min_length=1, max_length=200, examples=["Left the club in October"])


class RefundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    amount_minor: int
    currency: str
    destination: Literal["original", "credit_balance"]
    provider_refund_id: str | None
    reason: str


InstalmentMethod = Literal["bank_transfer", "card"]
CardId = Annotated[str, Field(pattern=r"^pm_[A-Za-z0-9_]{1,200}$", description="The card as Stripe saved it (pm_…)")]


class InstalmentPlanCreate(WriteModel):
    count: int = Field(ge=2, le=12, description="How many parts, 2 to 12")
    first_due_on: Day
    every_months: int = Field(1, ge=1, le=6, description="Months between two instalments")
    payment_method: InstalmentMethod = Field("bank_transfer", description="How the instalments are paid")
    card: CardId | None = Field(None, description="The saved card, when they are paid by card")

    @model_validator(mode="after")
    def _card_for_card(self):
        if (self.payment_method == "card") != (self.card is not None):
            raise ValueError("name a card (pm_…) exactly when the payment method is card")
        return self


class InstalmentMethodUpdate(WriteModel):
    """The way the instalments still to come are paid (those paid already, or due before today, keep theirs)."""

    payment_method: InstalmentMethod
    card: CardId | None = None

    @model_validator(mode="after")
    def _card_for_card(self):
        if (self.payment_method == "card") != (self.card is not None):
            raise ValueError("name a card (pm_…) exactly when the payment method is card")
        return self


class InstalmentRead(BaseModel):
    sequence: int
    due_on: date
    amount_minor: int
    paid: bool = Field(description="Payments and credits so far cover this instalment and every earlier one")
    payment_method: InstalmentMethod = "bank_transfer"
    card: str | None = Field(None, description="The saved card this instalment is paid with (pm_…)")


# --- reminders ------------------------------------------------------------------------------------------------------
class ReminderPolicyUpdate(WriteModel):
    days_to_pay: list[Annotated[int, Field(ge=1, le=180)]] = Field(
        min_length=1,
        max_length=5,
        description="One entry per reminder level: the days each reminder gives before the next (default 30, 14, 5)",
    )


class ReminderPolicyRead(BaseModel):
    days_to_pay: list[int]


class ReminderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    level: int
    sent_on: date
    amount_due_minor: int
    pay_by: date
