"""A treasurer's season: fee plans, invoice runs, issuing, payments, credit notes and the transitions an invoice may
not make; on real Postgres, with the read model fed by users events."""

from __future__ import annotations

from tests.messaging import apply_events
from tests.operational.payments.helpers import (
    BASE,
    day,
    fee_plan,
    guardian_linked,
    issued_invoice,
    outbox_events,
    run,
)


def _of(invoices, club, name):
    return [i for i in invoices if i["player_id"] == str(club[name].id)]


def test_a_season_run_bills_every_player_once_and_splits_a_childs_fee_between_guardians(gateway, settings, own_club):
    club = own_club
    apply_events(settings, "payments", [guardian_linked(club, "spare1", "player")])  # a second guardian

    result = run(gateway, club, fee_plan(gateway, club), due_on=day(30))

    shares = _of(result["invoices"], club, "player")
    assert sorted(i["payer_id"] for i in shares) == sorted([str(club["parent"].id), str(club["spare1"].id)])
    assert sorted(i["total_minor"] for i in shares) == [11250, 11251]  # €225.01 split, the odd cent to one
    (own,) = _of(result["invoices"], club, "teammate")
    assert own["payer_id"] == str(club["teammate"].id) and own["total_minor"] == 22501
    assert own["total_display"] == "€225.01" and own["status"] == "draft"
    assert {i["status"] for i in result["invoices"]} == {"draft"}
    assert len({i["number"] for i in result["invoices"]}) == result["created"] == 3
    # drafts stay with the treasurer: nothing has gone out yet
    assert not outbox_events(settings, own["id"])

    again = run(gateway, club, {"id": result["invoices"][0]["fee_plan_id"]})
    assert again["created"] == 0
    assert sorted(again["skipped_player_ids"]) == sorted([str(club["player"].id), str(club["teammate"].id)])


def test_a_late_joiner_pays_pro_rata_and_the_second_child_of_a_family_gets_the_sibling_discount(
    gateway, settings, own_club
):
    club = own_club
    apply_events(settings, "payments", [guardian_linked(club, "parent", "teammate")])  # siblings

    # the season began 91 days ago and lasts 365 days; both joined today: 274 of 365 days of €365.00 = €274.00
    plan = fee_plan(
        gateway, club, amount_minor=36500, season_start=day(-91), season_end=day(273), sibling_discount_percent=10
    )
    invoices = run(gateway, club, plan)["invoices"]

    totals = sorted(i["total_minor"] for i in invoices)
    assert totals == [24660, 27400]  # one child full pro rata, the other 10 % less
    assert all(i["payer_id"] == str(club["parent"].id) for i in invoices)
    discounted = next(i for i in invoices if i["total_minor"] == 24660)
    assert [line["description"] for line in discounted["lines"]][-1] == "Sibling discount 10%"


def test_an_invoice_is_issued_paid_in_two_transfers_and_then_final(gateway, settings, payments_club):
    club = payments_club
    admin = club["admin"].headers
    invoice = issued_invoice(gateway, club, amount_minor=20000)
    assert invoice["status"] == "open" and invoice["issued_on"] == day(0)
    url = f"{BASE}/invoices/{invoice['id']}"

    first = {"amount_minor": 5000, "method": "bank_transfer", "reference": "BANK-1", "received_on": day(0)}
    paid = gateway.post(f"{url}/payments", json=first, headers=admin)
    twice = gateway.post(f"{url}/payments", json=first, headers=admin)  # the same bank line again
    assert paid.status_code == 201 and twice.status_code == 200
    assert twice.json()["id"] == paid.json()["id"]
    assert gateway.get(url, headers=admin).json()["due_minor"] == 15000

    too_much = gateway.post(f"{url}/payments", json={"amount_minor": 15001}, headers=admin)
    assert too_much.status_code == 422 and "€150.00 still due" in too_much.json()["error"]["message"]
    clash = gateway.post(f"{url}/payments", json={**first, "amount_minor": 4000}, headers=admin)
    assert clash.status_code == 409

    rest = gateway.post(f"{url}/payments", json={"amount_minor": 15000, "reference": "BANK-2"}, headers=admin)
    assert rest.status_code == 201
    settled = gateway.get(url, headers=admin).json()
    assert (settled["status"], settled["due_minor"], settled["paid_on"]) == ("paid", 0, day(0))
    assert [p["amount_minor"] for p in settled["payments"]] == [5000, 15000]

    for action in ("void", "mark-uncollectible", "issue"):
        refused = gateway.post(f"{url}/{action}", headers=admin)
        assert refused.status_code == 409, action
        assert "is paid" in refused.json()["error"]["message"]
    assert gateway.delete(url, headers=admin).status_code == 409
    assert [e["data"]["status"] for e in outbox_events(settings, invoice["id"])] == ["open", "open", "paid"]
    recorded = outbox_events(settings, invoice["id"], subject="hub.payments.payment.recorded")
    assert [e["data"]["amount_minor"] for e in recorded] == [5000, 15000]


def test_only_drafts_are_deleted_and_a_paid_on_invoice_is_credited_not_voided(gateway, payments_club):
    club = payments_club
    admin = club["admin"].headers
    drafts = run(gateway, club, fee_plan(gateway, club, amount_minor=10000))["invoices"]
    draft_url = f"{BASE}/invoices/{drafts[0]['id']}"
    assert gateway.post(f"{draft_url}/payments", json={"amount_minor": 100}, headers=admin).status_code == 409
    assert gateway.post(f"{draft_url}/void", headers=admin).status_code == 409
    assert gateway.delete(draft_url, headers=admin).status_code == 204
    assert gateway.get(draft_url, headers=admin).status_code == 404

    invoice = issued_invoice(gateway, club, amount_minor=10000)
    url = f"{BASE}/invoices/{invoice['id']}"
    gateway.post(f"{url}/payments", json={"amount_minor": 4000}, headers=admin)
    assert gateway.post(f"{url}/void", headers=admin).status_code == 409
    note = gateway.post(f"{url}/credit-notes", json={"amount_minor": 6000, "reason": "Injured half the season"},
                        headers=admin)  # fmt: skip
    assert note.status_code == 201, note.text
    credited = gateway.get(url, headers=admin).json()
    assert (credited["status"], credited["credited_minor"], credited["due_minor"]) == ("paid", 6000, 0)


def test_a_written_off_invoice_can_still_be_paid(gateway, payments_club):
    club = payments_club
    admin = club["admin"].headers
    url = f"{BASE}/invoices/{issued_invoice(gateway, club, amount_minor=8000)['id']}"
    assert gateway.post(f"{url}/mark-uncollectible", headers=admin).json()["status"] == "uncollectible"
    assert gateway.post(f"{url}/payments", json={"amount_minor": 8000}, headers=admin).status_code == 201
    assert gateway.get(url, headers=admin).json()["status"] == "paid"


def test_a_double_clicked_payment_is_one_payment(gateway, payments_club):
    club = payments_club
    headers = {**club["admin"].headers, "Idempotency-Key": "pay-once"}
    url = f"{BASE}/invoices/{issued_invoice(gateway, club, amount_minor=8000)['id']}"

    first = gateway.post(f"{url}/payments", json={"amount_minor": 3000}, headers=headers)
    second = gateway.post(f"{url}/payments", json={"amount_minor": 3000}, headers=headers)
    other_body = gateway.post(f"{url}/payments", json={"amount_minor": 2000}, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true" and second.json() == first.json()
    assert other_body.status_code == 409
    assert gateway.get(url, headers=club["admin"].headers).json()["paid_minor"] == 3000


def test_families_see_their_own_invoices_and_coaches_nothing_financial(gateway, payments_club):
    club = payments_club
    invoices = run(gateway, club, fee_plan(gateway, club))["invoices"]
    for invoice in invoices:  # a draft is the treasurer's alone (tests/security/test_drafts_unseen.py)
        assert gateway.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=club["admin"].headers).status_code == 200
    (minors,) = _of(invoices, club, "player")
    (teammates,) = _of(invoices, club, "teammate")

    ours = {i["id"] for i in invoices}

    def listed(who):  # of this test's invoices (the club is shared)
        response = gateway.get(f"{BASE}/invoices", params={"limit": 500}, headers=club[who].headers)
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]} & ours

    assert listed("admin") >= {minors["id"], teammates["id"]}
    assert listed("parent") == {minors["id"]}
    assert listed("player") == {minors["id"]}
    assert listed("teammate") == {teammates["id"]}
    assert listed("coach") == set()
    assert gateway.get(f"{BASE}/invoices/{minors['id']}", headers=club["parent"].headers).status_code == 200
    for who in ("coach", "teammate", "medic"):
        assert gateway.get(f"{BASE}/invoices/{minors['id']}", headers=club[who].headers).status_code == 403
    refused = gateway.post(f"{BASE}/invoices/{minors['id']}/issue", headers=club["parent"].headers)
    assert refused.status_code == 403 and "treasurer" in refused.json()["error"]["message"]
    plan = {"team_id": str(club.team_id), "name": "x", "amount_minor": 1, "season_start": day(0), "season_end": day(1)}
    assert gateway.post(f"{BASE}/fee-plans", json=plan, headers=club["coach"].headers).status_code == 403


def test_bad_fee_plans_are_refused_with_a_reason(gateway, payments_club):
    club = payments_club
    base = {"team_id": str(club.team_id), "name": "Fee", "amount_minor": 100, "season_start": day(0)}
    cases = [
        ({**base, "season_end": day(-1)}, "season_end must be on or after season_start"),
        ({**base, "season_end": day(1), "currency": "XYZ"}, "not an ISO 4217 currency"),
        ({**base, "season_end": day(1), "amount_minor": 0}, "amount_minor"),
        ({**base, "season_end": day(1), "sibling_discount_percent": 120}, "sibling_discount_percent"),
    ]
    for body, expected in cases:
        response = gateway.post(f"{BASE}/fee-plans", json=body, headers=club["admin"].headers)
        assert response.status_code == 422, body
        assert expected in response.json()["error"]["message"], response.json()
    plan = fee_plan(gateway, club)
    past = gateway.post(f"{BASE}/fee-plans/{plan['id']}/invoice-runs", json={"due_on": day(-1)},
                        headers=club["admin"].headers)  # fmt: skip
    assert past.status_code == 422 and "due date has passed" in past.json()["error"]["message"]
