"""A treasurer imports the bank's statement: lines naming an invoice become bank transfer payments, once."""

from __future__ import annotations

from tests.operational.payments.helpers import BASE, day, issued_invoice


def test_a_bank_file_pays_invoices_by_reference_once_and_reports_what_it_could_not_match(gateway, payments_club):
    club = payments_club
    admin = club["admin"].headers
    invoice = issued_invoice(gateway, club, amount_minor=12000)
    number = invoice["number"]
    statement = "\n".join(
        [
            "date,amount,reference,transaction_id,counterparty",
            f"{day(0)},100.00,Fee {number} Jonas,TX-1,Parent",
            f"{day(0)},20.00,Rest {number},TX-2,Parent",
            f"{day(0)},15.00,no invoice here,TX-3,Someone",
            f"{day(0)},-40.00,Ice rental,TX-4,Rink",
            f"{day(0)},5.00,{number[:4]}-9999,TX-5,Someone",
            f"yesterday,5.00,{number},TX-6,Someone",
        ]
    )

    first = gateway.post(f"{BASE}/bank-imports", json={"csv": statement}, headers=admin)
    again = gateway.post(f"{BASE}/bank-imports", json={"csv": statement}, headers=admin)

    assert first.status_code == 200, first.text
    assert (first.json()["recorded"], first.json()["skipped"]) == (2, 4)
    reasons = {line["transaction_id"]: line["reason"] for line in first.json()["lines"]}
    assert reasons["TX-3"] == "the reference names no invoice number"
    assert reasons["TX-4"] == "outgoing money, not a payment"
    assert "no invoice" in reasons["TX-5"] and "is not a date" in reasons["TX-6"]
    assert (again.json()["recorded"], again.json()["already_recorded"]) == (0, 2)
    paid = gateway.get(f"{BASE}/invoices/{invoice['id']}", headers=admin).json()
    assert (paid["status"], paid["paid_minor"]) == ("paid", 12000)
    assert {p["method"] for p in paid["payments"]} == {"bank_transfer"}


def test_a_file_without_the_needed_columns_is_refused_whole(gateway, payments_club):
    club = payments_club
    response = gateway.post(f"{BASE}/bank-imports", json={"csv": "when,how much\n2026-01-01,5"},
                            headers=club["admin"].headers)  # fmt: skip
    assert response.status_code == 422
    assert "missing: date, amount, reference, transaction_id" in response.json()["error"]["message"]
    refused = gateway.post(f"{BASE}/bank-imports", json={"csv": "x"}, headers=club["coach"].headers)
    assert refused.status_code == 403
