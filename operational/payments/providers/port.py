"""The payment provider port: what the service asks of a way to pay, whichever adapter answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class PaymentRequest:
    """One attempt to pay ``amount_minor`` of an invoice. ``idempotency_key`` is the same for a retry of the same
    attempt, so the provider makes one payment however often it is asked."""

    org_id: uuid.UUID
    invoice_id: uuid.UUID
    invoice_number: str
    amount_minor: int
    currency: str
    idempotency_key: str


@dataclass(frozen=True)
class PaymentStart:
    """What the payer needs to pay: a card form's client secret, or the bank details and the reference to quote."""

    method: Literal["card", "bank_transfer"]
    amount_minor: int
    currency: str
    reference: str
    provider_payment_id: str | None = None
    client_secret: str | None = None
    account_name: str | None = None
    iban: str | None = None
    bic: str | None = None


@dataclass(frozen=True)
class RefundRequest:
    provider_payment_id: str
    amount_minor: int
    idempotency_key: str


class PaymentProvider(Protocol):
    method: Literal["card", "bank_transfer"]

    async def start_payment(self, request: PaymentRequest) -> PaymentStart:
        """Raises operational.kit.errors.Unavailable when the provider cannot be reached."""
        ...

    async def refund(self, request: RefundRequest) -> str | None:
        """The provider's refund id (None: the treasurer pays the money back by hand)."""
        ...
