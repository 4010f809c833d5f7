"""The invoice PDF a family downloads, and the EPC QR code on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from operational.gateway import create_app
from operational.payments.pdf import epc_payload
from tests.operational.payments.helpers import BASE, fee_plan, run


def test_the_epc_payload_is_the_standards_eleven_lines():
    payload = epc_payload(name="HC Example", iban="DE89 3704 0044 0532 0130 00", amount_minor=22501,
                          text="Invoice 2026-0007")  # fmt: skip
    assert payload.split("\n") == [
        "BCD", "002", "1", "SCT", "", "HC Example", "DE89370400440532013000", "EUR225.01", "", "", "Invoice 2026-0007"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="0.01 to"):
        epc_payload(name="HC", iban="DE89370400440532013000", amount_minor=0, text="x")


def test_a_guardian_downloads_the_invoice_with_names_and_a_qr_code_to_pay(monkeypatch, settings, payments_club):
    monkeypatch.setenv("HUB_PAYMENTS_BANK_IBAN", "DE89370400440532013000")
    monkeypatch.setenv("HUB_PAYMENTS_BANK_ACCOUNT_NAME", "HC Example")
    club = payments_club
    with TestClient(create_app(settings)) as client:
        invoices = run(client, club, fee_plan(client, club, amount_minor=22500))["invoices"]
        invoice = next(i for i in invoices if i["player_id"] == str(club["player"].id))
        client.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=club["admin"].headers)

        response = client.get(f"{BASE}/invoices/{invoice['id']}.pdf", headers=club["parent"].headers)
        refused = client.get(f"{BASE}/invoices/{invoice['id']}.pdf", headers=club["coach"].headers)
        read = client.get(f"{BASE}/invoices/{invoice['id']}", headers=club["parent"].headers).json()

    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for text in (f"Invoice {invoice['number']}", "Player", "U16", "Parent", "EUR 225.00", "DE89370400440532013000"):
        assert text.encode() in response.content, text
    assert b"/Subtype /Image" in response.content  # the QR code
    assert refused.status_code == 403
    assert (read["player_name"], read["payer_name"], read["team_name"]) == ("Player", "Parent", "U16")
