"""The Invoices page: a guardian reads their child's invoices and instalments by name, in money, from the payments
API; a player their own."""

from __future__ import annotations

import httpx

from tests.dashboards.helpers import open_dashboard, shown_text
from tests.messaging import apply_events, drain_and_consume
from tests.operational.payments.helpers import BASE, day, guardian_linked


def test_a_guardian_reads_their_childs_invoice_and_instalments_by_name(
    monkeypatch, settings, stats_url, gateway_url, warehouse, club
):
    drain_and_consume(settings, services=["payments"])
    apply_events(settings, "payments", [guardian_linked(club, "parent", "player")])
    admin = club["admin"].headers
    with httpx.Client(base_url=gateway_url, timeout=30) as api:
        plan = api.post(f"{BASE}/fee-plans", headers=admin, json={
            "team_id": str(club.team_id), "name": "U16 season fee", "amount_minor": 30000, "currency": "EUR",
            "season_start": day(0), "season_end": day(300)}).json()  # fmt: skip
        invoices = api.post(f"{BASE}/fee-plans/{plan['id']}/invoice-runs", json={}, headers=admin).json()["invoices"]
        for invoice in invoices:
            if invoice["player_id"] != str(club["player"].id):
                continue  # the teammate's stays a draft, which no family sees
            api.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=admin)
            childs = invoice
        api.post(f"{BASE}/invoices/{childs['id']}/instalments", headers=club["parent"].headers,
                 json={"count": 3, "first_due_on": "2099-01-31"})  # fmt: skip
    warehouse.publish()

    app = open_dashboard(monkeypatch, stats_url, club["parent"].token, gateway_url=gateway_url, page="invoices")

    assert not app.exception
    text = shown_text(app)
    for expected in ("Player", "U16", "To pay", "€300.00", "€100.00", "2099-01-31", "Bank transfer"):
        assert expected in text, expected
    assert "Teammate" not in text and str(club["player"].id) not in text

    mine = open_dashboard(monkeypatch, stats_url, club["teammate"].token, gateway_url=gateway_url, page="invoices")
    assert "No invoices for you or your family yet" in shown_text(mine)
