"""The transfer saga's two fee steps and their compensations, on the payments service's own tables (so each runs in
the same transaction as the saga noting it done: a fee step is never done twice).

**Credit on the old team's fee.** For each of the player's live invoices of the old team's fee plans whose season
includes the transfer day, the credit is what the rest of the season (the transfer day to the season's last day,
both included) costs at the plan's daily rate, less the sibling discount when the invoice had one, shared between
the invoice's payers like the invoice (pricing.py: the amount a player joining that day would be billed), and never
more than the invoice. A draft gets a negative line; an issued invoice a credit note for what is still due and, for
what was paid already, an entry in the payer's credit balance (it pays their next invoice first).

**Charge on the new team's fee.** The new team's fee plan whose season includes the transfer day bills the player
from that day (pro rata, sibling discount, split between guardians: the invoice run's rules), as drafts the treasurer
issues; a player who has an invoice of that plan already is not billed again.

Compensations undo exactly what the step recorded in its result: the draft line and the credit note are taken off
again, the credit balance gets a counter-entry, new drafts are deleted (an issued one is voided when nothing was paid
on it; one that was paid stays, for a person to refund).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.payments import events, money, pricing, repository, service
from operational.payments.config import PaymentsSettings
from operational.payments.models import CreditEntry, CreditNote, FeePlan, Invoice, outbox
from operational.payments.transfers import repository as transfers_repository
from operational.payments.transfers.models import Transfer

SIBLING_LINE = "Sibling discount"


def credit_for(invoice: Invoice, plan: FeePlan, payers: int, share_index: int, leaving_on) -> int:
    """What leaving on ``leaving_on`` takes off ``invoice`` (one of ``payers`` invoices of the player for ``plan``,
    the ``share_index``-th), minor units."""
    season = pricing.Season(plan.amount_minor, plan.season_start, plan.season_end, plan.sibling_discount_percent)
    had_discount = any(line["description"].startswith(SIBLING_LINE) for line in invoice.lines)
    rest = sum(line.amount_minor for line in pricing.fee_lines(season, joined_on=leaving_on,
                                                                has_sibling_billed=had_discount))  # fmt: skip
    shares = money.split(rest, payers) if payers > 1 else [rest]
    return min(shares[min(share_index, len(shares) - 1)], invoice.total_minor)


async def credit_old_fee(session: AsyncSession, transfer: Transfer) -> dict:
    """The forward step: returns what was credited, for the compensation and the saga's state."""
    found = await transfers_repository.fee_invoices_of(
        session, transfer.org_id, transfer.player_id, transfer.from_team_id, transfer.effective_on
    )
    by_plan: dict[uuid.UUID, list[Invoice]] = {}
    for invoice, _plan in found:
        by_plan.setdefault(invoice.fee_plan_id, []).append(invoice)
    changes, total, currency = [], 0, None
    for invoice, plan in found:
        siblings = by_plan[plan.id]
        credit = credit_for(invoice, plan, len(siblings), siblings.index(invoice), transfer.effective_on)
        if credit <= 0:
            continue
        change = await _credit_invoice(session, transfer, invoice, credit)
        changes.append(change)
        total, currency = total + credit, invoice.currency
    return {"credits": changes, "credited_minor": total, "currency": currency}


async def _credit_invoice(session: AsyncSession, transfer: Transfer, invoice: Invoice, credit: int) -> dict:
    reason = f"Left the team on {transfer.effective_on.isoformat()} (transfer)"
    change = {"invoice_id": str(invoice.id), "amount_minor": credit, "line": False, "credit_note_id": None,
              "credit_entry_id": None, "balance_minor": 0}  # fmt: skip
    if invoice.status == "draft":
        invoice.lines = [*invoice.lines, {"description": reason, "amount_minor": -credit}]
        invoice.total_minor -= credit
        change["line"] = True
        await session.flush()
        return change
    noted = min(credit, invoice.due_minor)
    if noted > 0:
        note = CreditNote(id=uuid.uuid4(), org_id=invoice.org_id, invoice_id=invoice.id, amount_minor=noted,
                          reason=reason, created_by=transfer.started_by)  # fmt: skip
        await repository.add(session, note)
        invoice.credited_minor += noted
        if invoice.due_minor == 0:
            invoice.status, invoice.paid_on = "paid", transfer.effective_on
        change["credit_note_id"] = str(note.id)
    rest = min(credit - noted, invoice.paid_minor)
    if rest > 0:
        entry = CreditEntry(id=uuid.uuid4(), org_id=invoice.org_id, payer_id=invoice.payer_id,
                            currency=invoice.currency, amount_minor=rest)  # fmt: skip
        await repository.add(session, entry)
        change["credit_entry_id"], change["balance_minor"] = str(entry.id), rest
    await session.flush()
    await outbox.record(session, events.invoice_changed(invoice, None))
    return change


async def undo_credit(session: AsyncSession, transfer: Transfer, result: dict) -> None:
    for change in result.get("credits", []):
        invoice = await transfers_repository.invoice(session, uuid.UUID(change["invoice_id"]))
        if change["line"]:
            marker = {"description": f"Left the team on {transfer.effective_on.isoformat()} (transfer)",
                      "amount_minor": -change["amount_minor"]}  # fmt: skip
            if marker in invoice.lines:
                lines = list(invoice.lines)
                lines.remove(marker)
                invoice.lines, invoice.total_minor = lines, invoice.total_minor + change["amount_minor"]
            continue
        if change["credit_note_id"]:
            note = await transfers_repository.credit_note(session, uuid.UUID(change["credit_note_id"]))
            invoice.credited_minor -= note.amount_minor
            await repository.remove(session, note)
            if invoice.status == "paid" and invoice.due_minor > 0:
                invoice.status, invoice.paid_on = "open", None
        if change["credit_entry_id"]:
            counter = CreditEntry(id=uuid.uuid4(), org_id=invoice.org_id, payer_id=invoice.payer_id,
                                  currency=invoice.currency, amount_minor=-change["balance_minor"])  # fmt: skip
            await repository.add(session, counter)
        await session.flush()
        await outbox.record(session, events.invoice_changed(invoice, None))


async def charge_new_fee(session: AsyncSession, transfer: Transfer, settings: PaymentsSettings, today) -> dict:
    """The forward step: draft invoices of the new team's fee from the transfer day on."""
    org_id, player_id = transfer.to_org_id, transfer.to_player_id
    plan = await transfers_repository.fee_plan_on(session, org_id, transfer.to_team_id, transfer.effective_on)
    if plan is None or player_id in await repository.players_invoiced_for(session, plan.id):
        return {"invoice_ids": [], "charged_minor": 0, "currency": None}
    billed = await repository.players_invoiced_in_season(session, org_id, plan.season_start, plan.season_end)
    siblings = await repository.siblings_of(session, org_id, player_id)
    guardians = await repository.guardians_of(session, org_id, [player_id])
    invoices = await service.bill_player(
        session,
        plan,
        player_id,
        joined_on=transfer.effective_on,
        due_on=max(transfer.effective_on, today) + timedelta(days=settings.default_days_to_pay),
        payers=guardians.get(player_id) or [player_id],
        has_sibling_billed=bool(siblings & billed),
        created_by=transfer.started_by,
        today=today,
    )
    return {
        "invoice_ids": [str(invoice.id) for invoice in invoices],
        "charged_minor": sum(invoice.total_minor for invoice in invoices),
        "currency": plan.currency,
    }


async def undo_charge(session: AsyncSession, result: dict) -> None:
    for invoice_id in result.get("invoice_ids", []):
        invoice = await transfers_repository.invoice(session, uuid.UUID(invoice_id))
        if invoice is None:
            continue
        if invoice.status == "draft":
            await repository.remove(session, invoice)
        elif invoice.paid_minor == 0 and invoice.status in ("open", "uncollectible"):
            invoice.status = "void"
            await session.flush()
            await outbox.record(session, events.invoice_changed(invoice, None))
