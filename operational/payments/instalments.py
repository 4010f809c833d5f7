"""Instalments: what is due on an invoice in 2 to 12 parts, each on its own day. The parts differ by at most a cent
(money.split), the first ones carrying the leftover; payments and credits settle them in order."""

from __future__ import annotations

import calendar
import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue
from operational.payments import money, repository
from operational.payments.models import Instalment, Invoice
from operational.payments.schemas import InstalmentMethodUpdate, InstalmentPlanCreate, InstalmentRead


def add_months(day: date, months: int) -> date:
    """``day`` ``months`` later, on the month's last day when it is shorter (31 January + 1 month: 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


async def plan_instalments(
    session: AsyncSession, principal: Principal, invoice: Invoice, body: InstalmentPlanCreate
) -> list[Instalment]:
    """Replace the invoice's instalments with ``body.count`` parts of what is due now."""
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status not in ("open", "uncollectible"):
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}; instalments go on issued, unsettled invoices.")
    if body.first_due_on < principal.today():
        raise InvalidValue("The first instalment's day has passed; choose today or later.", field="first_due_on")
    if invoice.due_minor < body.count:
        raise InvalidValue(f"What is due is too little to split in {body.count} parts.", field="count")
    await repository.remove_instalments(session, invoice.id)
    parts = []
    for index, amount in enumerate(money.split(invoice.due_minor, body.count)):
        part = Instalment(
            id=uuid.uuid4(),
            org_id=invoice.org_id,
            invoice_id=invoice.id,
            sequence=index + 1,
            due_on=add_months(body.first_due_on, index * body.every_months),
            amount_minor=amount,
            payment_method=body.payment_method,
            card=body.card,
        )
        await repository.add(session, part)
        parts.append(part)
    # the invoice is due when its last part is
    invoice.due_on = parts[-1].due_on
    return parts


def instalment_reads(invoice: Invoice, parts: list[Instalment]) -> list[InstalmentRead]:
    """Each part, and whether what was settled before the plan plus since covers it and every earlier one. The plan
    split what was due when it was made, so what was settled then counts before the first part."""
    planned = sum(part.amount_minor for part in parts)
    settled_towards_plan = planned - invoice.due_minor
    reads, running = [], 0
    for part in parts:
        running += part.amount_minor
        reads.append(InstalmentRead(sequence=part.sequence, due_on=part.due_on, amount_minor=part.amount_minor,
                                    paid=settled_towards_plan >= running, payment_method=part.payment_method,
                                    card=part.card))  # fmt: skip
    return reads


async def change_payment_method(
    session: AsyncSession, principal: Principal, invoice: Invoice, body: InstalmentMethodUpdate
) -> list[Instalment]:
    """The instalments still to come (not yet paid, due today or later) are paid ``body``'s way from now on; those
    paid or overdue keep the way they had (an overdue part is settled as it was meant to be, or by hand).

    Errors: 409 when the invoice has no instalments, is settled, or has none still to come."""
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status not in ("open", "uncollectible"):
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}; nothing on it is still to be paid.")
    parts = await repository.instalments_of(session, invoice.id)
    if not parts:
        raise Conflict(f"Invoice {invoice.number} is not paid in instalments; plan them first.")
    today = principal.today()
    paid = {read.sequence for read in instalment_reads(invoice, parts) if read.paid}
    to_come = [part for part in parts if part.sequence not in paid and part.due_on >= today]
    if not to_come:
        raise Conflict(f"No instalment of invoice {invoice.number} is still to come.")
    for part in to_come:
        part.payment_method, part.card = body.payment_method, body.card
    await session.flush()
    return parts
