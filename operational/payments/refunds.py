"""Refunds: all or part of a payment given back, to where it came from or to the payer's credit balance (which pays
the payer's next invoice when it is issued: service.issue).

A refund lowers what the invoice asks for by the same amount (paid goes down, credited goes up, what is due stays),
as Stripe's credit note with a refund does: a paid invoice stays paid. A card refund is made at the provider with an
idempotency key, so a retried request never refunds twice.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue
from operational.payments import events, money, repository
from operational.payments.config import PaymentsSettings
from operational.payments.models import CreditEntry, Payment, Refund, outbox
from operational.payments.providers import provider_for
from operational.payments.providers.port import RefundRequest
from operational.payments.schemas import RefundCreate


async def refund_payment(
    session: AsyncSession, principal: Principal, payment: Payment, body: RefundCreate, settings: PaymentsSettings
) -> Refund:
    invoice = await repository.get_invoice(session, payment.org_id, payment.invoice_id)
    invoice = await repository.lock_invoice(session, invoice)
    if payment.method == "credit_balance" and body.destination == "original":
        raise Conflict("This payment came from the payer's credit balance; refund it to the credit balance.")
    left = payment.amount_minor - await repository.refunded_of(session, payment.id)
    amount = body.amount_minor or left
    if left <= 0 or amount > left:
        available = money.display(max(left, 0), payment.currency, principal.lang)
        raise InvalidValue(f"Only {available} of this payment is left to refund.", field="amount_minor")
    refund = Refund(
        id=uuid.uuid4(),
        org_id=payment.org_id,
        payment_id=payment.id,
        invoice_id=invoice.id,
        amount_minor=amount,
        currency=payment.currency,
        destination=body.destination,
        reason=body.reason,
        created_by=principal.user_id,
    )
    if body.destination == "original" and payment.method == "card":
        request = RefundRequest(payment.reference, amount, idempotency_key=f"refund-{payment.id}-{left}-{amount}")
        refund.provider_refund_id = await provider_for(settings, "card").refund(request)
    await repository.add(session, refund)
    if body.destination == "credit_balance":
        credit = CreditEntry(id=uuid.uuid4(), org_id=invoice.org_id, payer_id=invoice.payer_id,
                             currency=invoice.currency, amount_minor=amount, refund_id=refund.id)  # fmt: skip
        await repository.add(session, credit)
    invoice.paid_minor -= amount
    invoice.credited_minor += amount
    await session.flush()
    await outbox.record(session, events.invoice_changed(invoice, principal))
    await outbox.record(session, events.refund_recorded(refund, invoice, principal, principal.today()))
    return refund
