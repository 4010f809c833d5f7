"""Fee plans, invoice runs and each invoice's life: draft → open → paid / void / uncollectible. Never commits (the
request's unit of work does), so an invoice's change and its event land together.

Transitions (Stripe's invoice model): a draft is issued (open) or deleted; an open invoice is paid (when payments and
credit notes cover it), voided (only while nothing was paid) or written off (uncollectible); a written-off invoice
can still be paid or voided. Paid and void are final.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, InvalidValue
from operational.payments import events, instalments, money, pricing, repository
from operational.payments.config import PaymentsSettings
from operational.payments.loaders import billed_team
from operational.payments.models import CreditEntry, CreditNote, FeePlan, Invoice, Payment, outbox
from operational.payments.schemas import (
    CreditNoteCreate,
    FeePlanCreate,
    FeePlanRead,
    InvoiceRead,
    InvoiceRunCreate,
    PaymentCreate,
)

# the statuses each change may start from
_PAYABLE = ("open", "uncollectible")


# --- fee plans ------------------------------------------------------------------------------------------------------
async def create_fee_plan(
    session: AsyncSession, principal: Principal, body: FeePlanCreate, settings: PaymentsSettings
) -> FeePlan:
    await billed_team.load(session, principal, body.team_id, field="team_id")
    plan = FeePlan(
        id=uuid.uuid4(),
        org_id=principal.org_id,
        created_by=principal.user_id,
        **body.model_dump(exclude={"currency"}),
        currency=body.currency or settings.default_currency,
    )
    await repository.add(session, plan)
    return plan


def fee_plan_read(plan: FeePlan, lang: str) -> FeePlanRead:
    read = FeePlanRead.model_validate(plan)
    return read.model_copy(update={"amount_display": money.display(plan.amount_minor, plan.currency, lang)})


# --- invoice runs ---------------------------------------------------------------------------------------------------
async def run_invoices(
    session: AsyncSession, principal: Principal, plan: FeePlan, body: InvoiceRunCreate, settings: PaymentsSettings
) -> tuple[list[Invoice], list[uuid.UUID]]:
    """Draft invoices for every player of the plan's team who has none of this plan yet: (new drafts, players
    skipped). Running it again after new players joined bills only them."""
    today = principal.today()
    due_on = body.due_on or today + timedelta(days=settings.default_days_to_pay)
    if due_on < today:
        raise InvalidValue("The due date has passed; choose today or a later day.", field="due_on")
    players = await repository.players_of_team(session, plan.org_id, plan.team_id)
    already = await repository.players_invoiced_for(session, plan.id)
    billed_in_season = await repository.players_invoiced_in_season(
        session, plan.org_id, plan.season_start, plan.season_end
    )
    guardians = await repository.guardians_of(session, plan.org_id, [p.user_id for p in players])
    created, skipped = [], []
    for entry in players:
        if entry.user_id in already:
            skipped.append(entry.user_id)
            continue
        siblings = await repository.siblings_of(session, plan.org_id, entry.user_id)
        invoices = await bill_player(
            session,
            plan,
            entry.user_id,
            joined_on=entry.joined_on,
            due_on=due_on,
            payers=guardians.get(entry.user_id) or [entry.user_id],
            has_sibling_billed=bool(siblings & billed_in_season),
            created_by=principal.user_id,
            today=today,
        )
        if invoices:
            billed_in_season.add(entry.user_id)
        created.extend(invoices)
    return created, skipped


async def bill_player(
    session: AsyncSession,
    plan: FeePlan,
    player_id: uuid.UUID,
    *,
    joined_on,
    due_on,
    payers: list[uuid.UUID],
    has_sibling_billed: bool,
    created_by: uuid.UUID,
    today,
) -> list[Invoice]:
    """Draft invoices of ``plan`` for one player who joined its team on ``joined_on`` (pro rata, less the sibling
    discount), one per payer when the plan splits a child's fee; none when the season ended before they joined."""
    season = pricing.Season(plan.amount_minor, plan.season_start, plan.season_end, plan.sibling_discount_percent)
    lines = pricing.fee_lines(season, joined_on=joined_on, has_sibling_billed=has_sibling_billed)
    if not lines:
        return []
    if not plan.split_between_guardians:
        payers = payers[:1]
    created = []
    for payer_id, share in zip(payers, pricing.shares_of(lines, len(payers)), strict=True):
        invoice = Invoice(
            id=uuid.uuid4(),
            org_id=plan.org_id,
            number=await repository.next_invoice_number(session, plan.org_id, today.year),
            status="draft",
            player_id=player_id,
            payer_id=payer_id,
            team_id=plan.team_id,
            fee_plan_id=plan.id,
            currency=plan.currency,
            lines=[line.as_dict() for line in share],
            total_minor=sum(line.amount_minor for line in share),
            paid_minor=0,
            credited_minor=0,
            due_on=due_on,
            created_by=created_by,
        )
        await repository.add(session, invoice)
        created.append(invoice)
    return created


# --- one invoice ----------------------------------------------------------------------------------------------------
async def invoice_read(session: AsyncSession, invoice: Invoice, lang: str) -> InvoiceRead:
    names = await repository.names_of(session, invoice.org_id, (invoice.player_id, invoice.payer_id, invoice.team_id))
    return InvoiceRead(
        player_name=names.get(invoice.player_id),
        payer_name=names.get(invoice.payer_id),
        team_name=names.get(invoice.team_id),
        id=invoice.id,
        number=invoice.number,
        status=invoice.status,
        player_id=invoice.player_id,
        payer_id=invoice.payer_id,
        team_id=invoice.team_id,
        fee_plan_id=invoice.fee_plan_id,
        currency=invoice.currency,
        lines=invoice.lines,
        total_minor=invoice.total_minor,
        paid_minor=invoice.paid_minor,
        credited_minor=invoice.credited_minor,
        due_minor=invoice.due_minor,
        due_on=invoice.due_on,
        issued_on=invoice.issued_on,
        paid_on=invoice.paid_on,
        total_display=money.display(invoice.total_minor, invoice.currency, lang),
        due_display=money.display(invoice.due_minor, invoice.currency, lang),
        credit_notes=await repository.credit_notes_of(session, invoice.id),
        payments=await repository.payments_of(session, invoice.id),
        refunds=await repository.refunds_of_invoice(session, invoice.id),
        instalments=instalments.instalment_reads(invoice, await repository.instalments_of(session, invoice.id)),
        reminders=await repository.reminders_of(session, invoice.id),
    )


def _refuse(invoice: Invoice, action: str, hint: str) -> Conflict:
    return Conflict(f"Invoice {invoice.number} is {invoice.status}, so it cannot be {action}; {hint}")


async def delete_draft(session: AsyncSession, invoice: Invoice) -> None:
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status != "draft":
        raise _refuse(invoice, "deleted", "only drafts can be deleted (void an issued invoice instead).")
    await repository.remove(session, invoice)


async def issue(session: AsyncSession, principal: Principal, invoice: Invoice) -> Invoice:
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status != "draft":
        raise _refuse(invoice, "issued", "it was issued already.")
    invoice.issued_on = principal.today()
    if invoice.due_on < invoice.issued_on:
        raise InvalidValue(
            f"Invoice {invoice.number} was due on {invoice.due_on.isoformat()}, which has passed; "
            "delete the draft and run the invoices again with a later due date.",
            field="due_on",
        )
    invoice.status = "paid" if invoice.due_minor == 0 else "open"
    invoice.paid_on = invoice.issued_on if invoice.status == "paid" else None
    await _changed(session, principal, invoice)
    await _spend_credit(session, principal, invoice)
    return invoice


async def _spend_credit(session: AsyncSession, principal: Principal, invoice: Invoice) -> None:
    """The payer's credit balance (refunds kept as credit) pays as much as it can of a newly issued invoice: one
    payment of method ``credit_balance``."""
    balance = await repository.credit_balance(session, invoice.org_id, invoice.payer_id, invoice.currency)
    used = min(balance, invoice.due_minor)
    if used <= 0:
        return
    body = PaymentCreate(amount_minor=used, reference=f"credit-{invoice.id}", received_on=principal.today())
    await record_payment(session, principal, invoice, body, method="credit_balance")
    debit = CreditEntry(id=uuid.uuid4(), org_id=invoice.org_id, payer_id=invoice.payer_id, currency=invoice.currency,
                        amount_minor=-used, invoice_id=invoice.id)  # fmt: skip
    await repository.add(session, debit)


async def void(session: AsyncSession, principal: Principal, invoice: Invoice) -> Invoice:
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status == "draft":
        raise _refuse(invoice, "voided", "delete the draft instead.")
    if invoice.status not in _PAYABLE:
        raise _refuse(invoice, "voided", "paid and void invoices are final (refund a paid one instead).")
    if invoice.paid_minor:
        raise _refuse(invoice, "voided", "money was paid on it; add a credit note for the rest instead.")
    invoice.status = "void"
    return await _changed(session, principal, invoice)


async def write_off(session: AsyncSession, principal: Principal, invoice: Invoice) -> Invoice:
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status != "open":
        raise _refuse(invoice, "written off", "only open invoices can be marked uncollectible.")
    invoice.status = "uncollectible"
    return await _changed(session, principal, invoice)


async def add_credit_note(
    session: AsyncSession, principal: Principal, invoice: Invoice, body: CreditNoteCreate
) -> CreditNote:
    invoice = await repository.lock_invoice(session, invoice)
    if invoice.status not in _PAYABLE:
        raise _refuse(invoice, "credited", "credit notes go on issued invoices that are not settled yet.")
    _within_due(invoice, body.amount_minor, "A credit note")
    note = CreditNote(
        id=uuid.uuid4(),
        org_id=invoice.org_id,
        invoice_id=invoice.id,
        amount_minor=body.amount_minor,
        reason=body.reason,
        created_by=principal.user_id,
    )
    await repository.add(session, note)
    invoice.credited_minor += body.amount_minor
    _settle_if_covered(invoice, principal.today())
    await _changed(session, principal, invoice)
    return note


async def record_payment(
    session: AsyncSession, actor: Principal | None, invoice: Invoice, body: PaymentCreate, *, method: str | None = None
) -> tuple[Payment, bool]:
    """Money received for ``invoice``: (the payment, True when it is new). A payment whose reference (the bank's
    transaction id, the card provider's payment id) was recorded for this invoice already is that payment (a bank
    line imported twice, a second click, a webhook delivered again). ``actor`` None: the card provider reported it
    (``body.received_on`` is then required)."""
    invoice = await repository.lock_invoice(session, invoice)
    if body.reference is not None:
        existing = await repository.payment_with_reference(session, invoice.id, body.reference)
        if existing is not None:
            if existing.amount_minor != body.amount_minor:
                raise Conflict(
                    f"A payment with reference '{body.reference}' of a different amount was recorded already; "
                    "check the bank statement.",
                    field="reference",
                )
            return existing, False
    if invoice.status not in _PAYABLE:
        hint = "issue it first." if invoice.status == "draft" else "nothing is due on it."
        raise _refuse(invoice, "paid", hint)
    _within_due(invoice, body.amount_minor, "The payment")
    payment = Payment(
        id=uuid.uuid4(),
        org_id=invoice.org_id,
        invoice_id=invoice.id,
        amount_minor=body.amount_minor,
        currency=invoice.currency,
        method=method or body.method,
        reference=body.reference,
        received_on=body.received_on or actor.today(),
        recorded_by=actor.user_id if actor else None,
    )
    try:
        async with session.begin_nested():
            await repository.add(session, payment)
    except IntegrityError as exc:  # the same reference, recorded by a request that committed in between
        raise Conflict("That payment was recorded a moment ago; reload the invoice.", field="reference") from exc
    invoice.paid_minor += body.amount_minor
    _settle_if_covered(invoice, payment.received_on)
    await _changed(session, actor, invoice)
    await outbox.record(session, events.payment_recorded(payment, invoice, actor))
    return payment, True


def _within_due(invoice: Invoice, amount_minor: int, what: str) -> None:
    if amount_minor > invoice.due_minor:
        due = money.display(invoice.due_minor, invoice.currency)
        raise InvalidValue(
            f"{what} is more than the {due} still due on invoice {invoice.number}.", field="amount_minor"
        )


def _settle_if_covered(invoice: Invoice, day) -> None:
    if invoice.due_minor == 0:
        invoice.status, invoice.paid_on = "paid", day


async def _changed(session: AsyncSession, principal: Principal | None, invoice: Invoice) -> Invoice:
    await session.flush()
    await outbox.record(session, events.invoice_changed(invoice, principal))
    return invoice
