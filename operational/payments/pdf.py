"""An invoice as a PDF (fpdf2) a family can print or forward, with the EPC QR code (segno) a banking app scans to
fill in a SEPA credit transfer: the club's account, the amount still due, and the invoice number as the reference.

The EPC QR code follows EPC069-12 v2 ("BCD" service tag, version 002, UTF-8, SCT), error correction level M. It is
only printed for an amount due in euro to a configured IBAN, which is all the standard allows.
"""

from __future__ import annotations

import io
from decimal import Decimal

import segno
from fpdf import FPDF

from operational.payments import money
from operational.payments.config import PaymentsSettings
from operational.payments.models import Invoice

MAX_EPC_AMOUNT = Decimal("999999999.99")


def epc_payload(*, name: str, iban: str, amount_minor: int, text: str, bic: str | None = None) -> str:
    """The EPC QR payload for a SEPA credit transfer of ``amount_minor`` euro cents (EPC069-12 v2)."""
    amount = Decimal(amount_minor).scaleb(-2)
    if not Decimal("0.01") <= amount <= MAX_EPC_AMOUNT:
        raise ValueError("an EPC QR code carries 0.01 to 999999999.99 euro")
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        bic or "",
        name[:70],
        iban.replace(" ", ""),
        f"EUR{amount:.2f}",
        "",
        "",
        text[:140],
    ]
    return "\n".join(lines)


def _latin(value: str) -> str:
    # the PDF's built-in font covers Latin-1; anything else prints as '?' rather than failing the download
    return value.encode("latin-1", "replace").decode("latin-1")


def _amount(amount_minor: int, currency: str, lang: str) -> str:
    return _latin(money.display(amount_minor, currency, lang).replace("€", "EUR "))


def invoice_pdf(invoice: Invoice, names: dict, settings: PaymentsSettings, lang: str = "en") -> bytes:
    """The invoice's PDF. ``names`` maps the player's, payer's and team's ids to their names."""
    pdf = FPDF(format="A4")
    pdf.set_compression(False)  # small files either way; plain text stays searchable
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 10, _latin(f"Invoice {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    details = [
        ("For", names.get(invoice.player_id, "")),
        ("Team", names.get(invoice.team_id, "")),
        ("To be paid by", names.get(invoice.payer_id, "")),
        ("Issued", invoice.issued_on.isoformat() if invoice.issued_on else "draft, not issued"),
        ("Due", invoice.due_on.isoformat()),
        ("Status", invoice.status),
    ]
    for label, value in details:
        pdf.cell(45, 7, _latin(label))
        pdf.cell(0, 7, _latin(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(140, 8, "Description", border="B")
    pdf.cell(0, 8, "Amount", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    rows = [(line["description"], line["amount_minor"]) for line in invoice.lines]
    rows += [("Credit notes", -invoice.credited_minor)] if invoice.credited_minor else []
    rows += [("Paid", -invoice.paid_minor)] if invoice.paid_minor else []
    for description, amount_minor in rows:
        pdf.cell(140, 7, _latin(description))
        pdf.cell(0, 7, _amount(amount_minor, invoice.currency, lang), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(140, 9, "Still to pay", border="T")
    pdf.cell(0, 9, _amount(invoice.due_minor, invoice.currency, lang), border="T", align="R",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font("helvetica", size=10)
    if settings.bank_iban and invoice.due_minor > 0:
        pdf.ln(6)
        account = f"Bank transfer to {settings.bank_account_name or ''} {settings.bank_iban}".strip()
        pdf.multi_cell(0, 6, _latin(f"{account}, quoting {invoice.number}."), new_x="LMARGIN", new_y="NEXT")
        if invoice.currency == "EUR":
            payload = epc_payload(name=settings.bank_account_name or "Club", iban=settings.bank_iban,
                                  amount_minor=invoice.due_minor, text=f"Invoice {invoice.number}",
                                  bic=settings.bank_bic)  # fmt: skip
            image = io.BytesIO()
            segno.make(payload, error="m", encoding="utf-8", micro=False).save(image, kind="png", scale=5)
            image.seek(0)
            pdf.image(image, w=40)
            pdf.cell(0, 6, "Scan with your banking app to pay.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
