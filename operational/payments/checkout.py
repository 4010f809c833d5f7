"""Paying an invoice: starting a payment with a provider (card or bank transfer), and the card provider's word that
the money arrived (its webhook), which records the payment once however often it is delivered."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, HubError, InvalidValue
from operational.payments import money, repository, service
from operational.payments.config import PaymentsSettings
from operational.payments.models import Invoice
from operational.payments.providers import provider_for
from operational.payments.providers.port import PaymentRequest
from operational.payments.schemas import CheckoutCreate, PaymentCreate, PaymentStartRead

log = logging.getLogger(__name__)


async def start_checkout(
    principal: Principal, invoice: Invoice, body: CheckoutCreate, settings: PaymentsSettings
) -> PaymentStartRead:
    if invoice.status not in ("open", "uncollectible"):
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}; only issued, unsettled invoices can be paid.")
    amount = body.amount_minor or invoice.due_minor
    if amount > invoice.due_minor:
        due = money.display(invoice.due_minor, invoice.currency, principal.lang)
        raise InvalidValue(f"That is more than the {due} still due on invoice {invoice.number}.", field="amount_minor")
    # the same invoice, in the same state, for the same amount: one payment at the provider however often asked
    key = f"invoice-{invoice.id}-{invoice.paid_minor}-{invoice.credited_minor}-{amount}"
    request = PaymentRequest(invoice.org_id, invoice.id, invoice.number, amount, invoice.currency, key)
    started = await provider_for(settings, body.method).start_payment(request)
    read = PaymentStartRead.model_validate(started)
    return read.model_copy(update={"amount_display": money.display(amount, invoice.currency, principal.lang)})


async def apply_card_event(session: AsyncSession, event: dict) -> str:
    """What a verified Stripe event changes; returns a word on it for the provider's logs. Events of other types,
    and payments that name no invoice of ours, are acknowledged and ignored (Stripe would resend anything else)."""
    if event.get("type") != "payment_intent.succeeded":
        return "ignored"
    intent = event["data"]["object"]
    try:
        metadata = intent.get("metadata") or {}
        org_id, invoice_id = uuid.UUID(metadata["org_id"]), uuid.UUID(metadata["invoice_id"])
    except (KeyError, ValueError, TypeError):
        return "ignored: not an invoice payment"
    invoice = await repository.get_invoice(session, org_id, invoice_id)
    if invoice is None or str(intent.get("currency", "")).upper() != invoice.currency:
        log.error("a card payment names no invoice of ours", extra={"payment_intent": intent.get("id")})
        return "ignored: no such invoice"
    body = PaymentCreate(
        amount_minor=intent["amount_received"],
        reference=intent["id"],
        received_on=datetime.fromtimestamp(event["created"], UTC).date(),
    )
    try:
        _payment, new = await service.record_payment(session, None, invoice, body, method="card")
    except HubError as exc:
        # money was taken but cannot be booked on the invoice as it stands (voided, paid twice in two windows): the
        # treasurer settles it (a refund, or a credit); acknowledging stops the provider resending it
        log.error("a card payment could not be recorded", extra={"payment_intent": intent["id"], "why": exc.message})
        return f"not recorded: {exc.message}"
    return "recorded" if new else "already recorded"
