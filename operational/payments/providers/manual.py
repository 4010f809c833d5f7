"""Bank transfer, the embedded default: the payer transfers quoting the invoice number, and the treasurer marks the
payment or imports the bank statement (bank_import.py). Nothing leaves the service."""

from __future__ import annotations

from typing import Literal

from operational.payments.config import PaymentsSettings
from operational.payments.providers.port import PaymentRequest, PaymentStart, RefundRequest


class BankTransferProvider:
    method: Literal["bank_transfer"] = "bank_transfer"

    def __init__(self, settings: PaymentsSettings):
        self.settings = settings

    async def start_payment(self, request: PaymentRequest) -> PaymentStart:
        return PaymentStart(
            method="bank_transfer",
            amount_minor=request.amount_minor,
            currency=request.currency,
            reference=request.invoice_number,
            account_name=self.settings.bank_account_name,
            iban=self.settings.bank_iban,
            bic=self.settings.bank_bic,
        )

    async def refund(self, request: RefundRequest) -> str | None:
        return None
