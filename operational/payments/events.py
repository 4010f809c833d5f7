"""Events the payments service emits: an invoice's state once it is issued, and each payment."""

from __future__ import annotations

from contracts import payments as contract
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.payments.models import Invoice, Payment


def invoice_changed(invoice: Invoice, actor: Principal | None):
    data = contract.InvoiceChanged(
        invoice_id=invoice.id,
        number=invoice.number,
        player_id=invoice.player_id,
        payer_id=invoice.payer_id,
        team_id=invoice.team_id,
        status=invoice.status,
        currency=invoice.currency,
        total_minor=invoice.total_minor,
        paid_minor=invoice.paid_minor,
        credited_minor=invoice.credited_minor,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        paid_on=invoice.paid_on,
    )
    return new_event(contract.InvoiceChangedEvent, org_id=invoice.org_id, subject_id=invoice.id, actor=actor, data=data)


def payment_recorded(payment: Payment, invoice: Invoice, actor: Principal | None):
    data = contract.PaymentRecorded(
        payment_id=payment.id,
        invoice_id=invoice.id,
        player_id=invoice.player_id,
        team_id=invoice.team_id,
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        method=payment.method,
        received_on=payment.received_on,
    )
    return new_event(
        contract.PaymentRecordedEvent, org_id=invoice.org_id, subject_id=payment.id, actor=actor, data=data
    )


def refund_recorded(refund, invoice: Invoice, actor: Principal, refunded_on):
    data = contract.RefundRecorded(
        refund_id=refund.id,
        payment_id=refund.payment_id,
        invoice_id=invoice.id,
        player_id=invoice.player_id,
        team_id=invoice.team_id,
        amount_minor=refund.amount_minor,
        currency=refund.currency,
        destination=refund.destination,
        refunded_on=refunded_on,
    )
    return new_event(contract.RefundRecordedEvent, org_id=invoice.org_id, subject_id=refund.id, actor=actor, data=data)
