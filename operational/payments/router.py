"""Fee plans, invoice runs, invoices, credit notes and payments. Every id in a path or query is resolved by a loader
(loaders.py); the treasurer's work is the club admin's, and each family sees its own invoices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.errors import Forbidden, HubError
from operational.kit.pagination import PageDep
from operational.payments import (
    bank_import,
    checkout,
    instalments,
    policies,
    refunds,
    reminders,
    repository,
    service,
)
from operational.payments.config import SettingsDep
from operational.payments.loaders import (
    EditableInvoice,
    FeePlanInPath,
    MemberInPath,
    PlayerFilter,
    ReadableInvoice,
    RefundablePayment,
    TeamFilter,
)
from operational.payments.schemas import (
    BankImportCreate,
    BankImportRead,
    CheckoutCreate,
    CreditNoteCreate,
    CreditNoteRead,
    FeePlanCreate,
    FeePlanPage,
    FeePlanRead,
    InstalmentMethodUpdate,
    InstalmentPlanCreate,
    InstalmentRead,
    InvoicePage,
    InvoiceRead,
    InvoiceRunCreate,
    InvoiceRunRead,
    InvoiceStatus,
    PaymentCreate,
    PaymentRead,
    PaymentStartRead,
    RefundCreate,
    RefundRead,
    ReminderPolicyRead,
    ReminderPolicyUpdate,
    WebhookReceipt,
)

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])


_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
PROVIDER_DOWN = {
    503: {"description": "The card provider cannot be reached, or cards are not set up", "content": _ERROR}
}


class BadSignature(HubError):
    status_code = 400
    code = "invalid_signature"


def _treasurer(user) -> None:
    if not policies.is_treasurer(user):
        raise Forbidden(policies.TREASURER_ONLY)


# --- fee plans ------------------------------------------------------------------------------------------------------
@router.post("/fee-plans", status_code=status.HTTP_201_CREATED, response_model=FeePlanRead)
async def create_fee_plan(
    body: FeePlanCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> FeePlanRead:
    """Treasurer: a team's season fee, its sibling discount and whether guardians split a child's fee."""
    _treasurer(user)
    plan = await service.create_fee_plan(session, user, body, settings)
    return service.fee_plan_read(plan, user.lang)


@router.get("/fee-plans", response_model=FeePlanPage)
async def list_fee_plans(session: SessionDep, user: CurrentUser, page: PageDep) -> FeePlanPage:
    """Treasurer: the club's fee plans, the latest season first."""
    _treasurer(user)
    plans, total = await repository.list_fee_plans(session, user.org_id, page)
    return FeePlanPage.of(plans, total, page, convert=lambda plan: service.fee_plan_read(plan, user.lang))


@router.post(
    "/fee-plans/{fee_plan_id}/invoice-runs", status_code=status.HTTP_201_CREATED, response_model=InvoiceRunRead
)
async def run_invoices(
    plan: FeePlanInPath, body: InvoiceRunCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> InvoiceRunRead:
    """Treasurer: draft invoices for every player of the plan's team who has none of this plan yet (pro rata for late
    joiners, less the sibling discount, one per guardian when the fee is split). Issue them to send them."""
    created, skipped = await service.run_invoices(session, user, plan, body, settings)
    return InvoiceRunRead(
        created=len(created),
        skipped_player_ids=skipped,
        invoices=[await service.invoice_read(session, invoice, user.lang) for invoice in created],
    )


# --- invoices -------------------------------------------------------------------------------------------------------
@router.get("/invoices", response_model=InvoicePage)
async def list_invoices(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    player: PlayerFilter,
    team: TeamFilter,
    invoice_status: Annotated[
        InvoiceStatus | None, Query(alias="status", description="Only invoices in this state")
    ] = None,
) -> InvoicePage:
    """The treasurer sees the club's invoices; everyone else the invoices they pay and those of their family."""
    invoices, total = await repository.list_invoices(
        session,
        user.org_id,
        policies.invoice_scope(user),
        page,
        status=invoice_status,
        player_id=player.id if player else None,
        team_id=team.id if team else None,
    )
    items = [await service.invoice_read(session, invoice, user.lang) for invoice in invoices]
    return InvoicePage.of(items, total, page, convert=lambda item: item)


@router.get(
    "/invoices/{invoice_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The invoice as a PDF"}},
)
async def invoice_pdf(
    invoice: ReadableInvoice, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> Response:
    """The invoice to print or forward, with an EPC QR code a banking app scans to pay what is still due (euro
    invoices, when the club's IBAN is configured)."""
    ids = (invoice.player_id, invoice.payer_id, invoice.team_id)
    names = await repository.names_of(session, invoice.org_id, ids)
    from operational.payments import pdf  # fpdf and its font and image libraries: ~70 MiB, only for a PDF

    content = await run_in_threadpool(pdf.invoice_pdf, invoice, names, settings, user.lang)
    disposition = f'attachment; filename="invoice-{invoice.number}.pdf"'
    return Response(content, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/invoices/{invoice_id}", response_model=InvoiceRead)
async def get_invoice(invoice: ReadableInvoice, session: SessionDep, user: CurrentUser) -> InvoiceRead:
    """One invoice with its lines, payments, credit notes, refunds, instalments and reminders (the treasurer, the
    payer, the player and their guardian). A draft is the treasurer's alone: to anyone else it is not found (404)."""
    return await service.invoice_read(session, invoice, user.lang)


@router.delete("/invoices/{invoice_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_invoice(invoice: EditableInvoice, session: SessionDep) -> Response:
    """Treasurer: a draft goes; an issued invoice is voided instead (409)."""
    await service.delete_draft(session, invoice)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/invoices/{invoice_id}/issue", response_model=InvoiceRead)
async def issue_invoice(invoice: EditableInvoice, session: SessionDep, user: CurrentUser) -> InvoiceRead:
    """Treasurer: draft → open; the payer sees it from now on."""
    return await service.invoice_read(session, await service.issue(session, user, invoice), user.lang)


@router.post("/invoices/{invoice_id}/void", response_model=InvoiceRead)
async def void_invoice(invoice: EditableInvoice, session: SessionDep, user: CurrentUser) -> InvoiceRead:
    """Treasurer: an issued invoice on which nothing was paid is cancelled."""
    return await service.invoice_read(session, await service.void(session, user, invoice), user.lang)


@router.post("/invoices/{invoice_id}/mark-uncollectible", response_model=InvoiceRead)
async def write_off_invoice(invoice: EditableInvoice, session: SessionDep, user: CurrentUser) -> InvoiceRead:
    """Treasurer: an open invoice the club no longer expects to be paid (it can still be paid later)."""
    return await service.invoice_read(session, await service.write_off(session, user, invoice), user.lang)


@router.post("/invoices/{invoice_id}/credit-notes", status_code=status.HTTP_201_CREATED, response_model=CreditNoteRead)
async def add_credit_note(
    invoice: EditableInvoice, body: CreditNoteCreate, session: SessionDep, user: CurrentUser
) -> CreditNoteRead:
    """Treasurer: take an amount off an issued invoice, with the reason the payer reads."""
    return CreditNoteRead.model_validate(await service.add_credit_note(session, user, invoice, body))


@router.post("/invoices/{invoice_id}/payments", status_code=status.HTTP_201_CREATED, response_model=PaymentRead)
async def record_payment(
    invoice: EditableInvoice, body: PaymentCreate, session: SessionDep, user: CurrentUser, response: Response
) -> PaymentRead:
    """Treasurer: money received by bank transfer or in hand. The same bank reference twice is one payment (200)."""
    payment, new = await service.record_payment(session, user, invoice, body)
    if not new:
        response.status_code = status.HTTP_200_OK
    return PaymentRead.model_validate(payment)


# --- bank files -----------------------------------------------------------------------------------------------------
@router.post("/bank-imports", response_model=BankImportRead)
async def import_bank_file(body: BankImportCreate, session: SessionDep, user: CurrentUser) -> BankImportRead:
    """Treasurer: a bank statement (CSV) matched to invoices by the invoice number in each line's reference. Every
    matched line is a bank transfer payment, recorded once however often the file is imported; the others come back
    with the reason they were skipped."""
    _treasurer(user)
    return await bank_import.import_bank_file(session, user, body.csv)


# --- paying ---------------------------------------------------------------------------------------------------------
@router.post("/invoices/{invoice_id}/checkout", response_model=PaymentStartRead, responses=PROVIDER_DOWN)
async def start_checkout(
    invoice: ReadableInvoice, body: CheckoutCreate, user: CurrentUser, settings: SettingsDep
) -> PaymentStartRead:
    """The payer (or the player, a guardian, the treasurer): how to pay what is due, by card (a client secret for
    the card form; asking again gives the same payment) or by bank transfer (the account and the reference)."""
    return await checkout.start_checkout(user, invoice, body, settings)


@router.post(
    "/webhooks/stripe",
    response_model=WebhookReceipt,
    responses={400: {"description": "The webhook signature is missing, wrong or too old", "content": _ERROR}},
)
async def stripe_webhook(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookReceipt:
    """Stripe's events, each checked against its signature and age before anything is read from it."""
    from operational.payments.providers.stripe_cards import verify_webhook

    try:
        event = verify_webhook(settings, await request.body(), stripe_signature)
    except ValueError as exc:
        raise BadSignature("The webhook signature is missing, wrong or too old.") from exc
    return WebhookReceipt(outcome=await checkout.apply_card_event(session, event))


# --- refunds and instalments ----------------------------------------------------------------------------------------
@router.post(
    "/payments/{payment_id}/refunds",
    status_code=status.HTTP_201_CREATED,
    response_model=RefundRead,
    responses=PROVIDER_DOWN,
)
async def refund_payment(
    payment: RefundablePayment, body: RefundCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> RefundRead:
    """Treasurer: give back all or part of a payment, to the card or account it came from, or to the payer's credit
    balance (it pays their next invoice first). The invoice asks for that much less."""
    return RefundRead.model_validate(await refunds.refund_payment(session, user, payment, body, settings))


@router.post(
    "/invoices/{invoice_id}/instalments", status_code=status.HTTP_201_CREATED, response_model=list[InstalmentRead]
)
async def plan_instalments(
    invoice: ReadableInvoice, body: InstalmentPlanCreate, session: SessionDep, user: CurrentUser
) -> list[InstalmentRead]:
    """The payer (or the treasurer): pay what is due in 2 to 12 parts, the first on ``first_due_on``, then every
    ``every_months`` months. A new plan replaces the old one."""
    parts = await instalments.plan_instalments(session, user, invoice, body)
    return instalments.instalment_reads(invoice, parts)


@router.put("/invoices/{invoice_id}/instalments/payment-method", response_model=list[InstalmentRead])
async def change_instalment_method(
    invoice: ReadableInvoice, body: InstalmentMethodUpdate, session: SessionDep, user: CurrentUser
) -> list[InstalmentRead]:
    """The payer (or the treasurer): pay the instalments still to come another way, e.g. a new card
    (`{"payment_method": "card", "card": "pm_…"}`); those paid already or overdue keep theirs."""
    parts = await instalments.change_payment_method(session, user, invoice, body)
    return instalments.instalment_reads(invoice, parts)


# --- reminders ------------------------------------------------------------------------------------------------------
@router.get("/reminder-policy", response_model=ReminderPolicyRead)
async def get_reminder_policy(session: SessionDep, user: CurrentUser) -> ReminderPolicyRead:
    """Treasurer: the club's reminder levels (days each reminder gives before the next)."""
    _treasurer(user)
    days = await repository.reminder_days(session, user.org_id)
    return ReminderPolicyRead(days_to_pay=days or list(reminders.DEFAULT_DAYS_TO_PAY))


@router.put("/reminder-policy", response_model=ReminderPolicyRead)
async def set_reminder_policy(body: ReminderPolicyUpdate, session: SessionDep, user: CurrentUser) -> ReminderPolicyRead:
    """Treasurer: the club's reminder levels, one entry per level (1 to 5 levels of 1 to 180 days)."""
    _treasurer(user)
    await repository.set_reminder_days(session, user.org_id, body.days_to_pay)
    return ReminderPolicyRead(days_to_pay=body.days_to_pay)


@router.put("/hardship/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def mark_hardship(member: MemberInPath, session: SessionDep, user: CurrentUser) -> Response:
    """Treasurer: this member cannot pay for now; no reminders for invoices they pay or that are for them."""
    await repository.set_hardship(session, user.org_id, member.id, user.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/hardship/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def clear_hardship(member: MemberInPath, session: SessionDep, user: CurrentUser) -> Response:
    """Treasurer: reminders for this member's invoices resume."""
    await repository.clear_hardship(session, user.org_id, member.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
