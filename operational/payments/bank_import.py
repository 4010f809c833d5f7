"""A bank statement matched to invoices: each incoming line whose reference names an invoice of the club becomes a
bank transfer payment of that invoice, recorded once however often the file is imported. Lines that cannot be
matched are reported with the reason, for the treasurer to settle by hand."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import HubError, InvalidValue
from operational.payments import money, repository, service
from operational.payments.bank_file import BankFileError, BankLine, read_bank_file
from operational.payments.schemas import BankImportRead, BankLineResult, PaymentCreate


async def import_bank_file(session: AsyncSession, principal: Principal, text: str) -> BankImportRead:
    try:
        lines = read_bank_file(text)
    except BankFileError as exc:
        raise InvalidValue(str(exc), field="csv") from exc
    results = [await _apply(session, principal, line) for line in lines]
    count = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("recorded", "already_recorded")}
    return BankImportRead(
        recorded=count["recorded"],
        already_recorded=count["already_recorded"],
        skipped=len(results) - sum(count.values()),
        lines=results,
    )


async def _apply(session: AsyncSession, principal: Principal, line: BankLine) -> BankLineResult:
    number = line.invoice_number

    def skipped(reason: str) -> BankLineResult:
        return BankLineResult(
            line=line.line_number, transaction_id=line.transaction_id, invoice_number=number, outcome="skipped",
            reason=reason,
        )  # fmt: skip

    if line.problem:
        return skipped(line.problem)
    if line.amount <= 0:
        return skipped("outgoing money, not a payment")
    if number is None:
        return skipped("the reference names no invoice number")
    invoice = await repository.invoice_by_number(session, principal.org_id, number)
    if invoice is None:
        return skipped(f"no invoice {number} in this club")
    minor = line.amount.scaleb(money.minor_digits(invoice.currency))
    if minor != minor.to_integral_value():
        return skipped(f"the amount has more decimals than {invoice.currency} has")
    try:
        body = PaymentCreate(
            amount_minor=int(minor),
            method="bank_transfer",
            reference=line.transaction_id,
            received_on=line.received_on,
        )
        payment, new = await service.record_payment(session, principal, invoice, body)
    except ValidationError as exc:
        return skipped(exc.errors()[0]["msg"])
    except HubError as exc:
        return skipped(exc.message)
    return BankLineResult(
        line=line.line_number,
        transaction_id=line.transaction_id,
        invoice_number=number,
        outcome="recorded" if new else "already_recorded",
        payment_id=payment.id,
    )
