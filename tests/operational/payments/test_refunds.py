"""Refunds (full, partial, to the card, to a credit balance the next invoice uses) and instalment plans."""

from __future__ import annotations

from tests.operational.payments.helpers import BASE, day, fee_plan, issued_invoice, outbox_events, run, sql
from tests.operational.payments.test_cards import _parents_invoice


def _pay(client, club, invoice, amount_minor, **body):
    response = client.post(f"{BASE}/invoices/{invoice['id']}/payments", json={"amount_minor": amount_minor, **body},
                           headers=club["admin"].headers)  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


def test_a_refund_to_credit_pays_the_next_invoice_first(gateway, settings, own_club):
    club = own_club
    admin = club["admin"].headers
    invoice = issued_invoice(gateway, club, amount_minor=10000)
    payment = _pay(gateway, club, invoice, 10000)

    partial = gateway.post(f"{BASE}/payments/{payment['id']}/refunds",
                           json={"amount_minor": 3000, "destination": "credit_balance", "reason": "Missed a month"},
                           headers=admin)  # fmt: skip
    assert partial.status_code == 201, partial.text
    too_much = gateway.post(f"{BASE}/payments/{payment['id']}/refunds", json={"amount_minor": 7001, "reason": "x"},
                            headers=admin)  # fmt: skip
    assert too_much.status_code == 422 and "€70.00 of this payment is left" in too_much.json()["error"]["message"]
    after = gateway.get(f"{BASE}/invoices/{invoice['id']}", headers=admin).json()
    assert (after["status"], after["paid_minor"], after["credited_minor"], after["due_minor"]) == (
        "paid",
        7000,
        3000,
        0,
    )

    # the teammate's next invoice (another fee plan) is paid from the €30.00 credit first
    following = issued_invoice(gateway, club, amount_minor=5000)
    assert (following["status"], following["paid_minor"], following["due_minor"]) == ("open", 3000, 2000)
    assert [p["method"] for p in following["payments"]] == ["credit_balance"]
    third = issued_invoice(gateway, club, amount_minor=5000)
    assert third["paid_minor"] == 0  # the credit is spent
    (refund_event,) = outbox_events(settings, invoice["id"], subject="hub.payments.refund.recorded")
    assert refund_event["data"]["destination"] == "credit_balance"


def test_a_card_payment_is_refunded_at_stripe_once(card_gateway, fake_stripe, payments_club):
    club = payments_club
    invoice = _parents_invoice(card_gateway, club, amount_minor=8000)
    started = card_gateway.post(f"{BASE}/invoices/{invoice['id']}/checkout", json={}, headers=club["parent"].headers)
    payload, signature = fake_stripe.succeed(started.json()["provider_payment_id"])
    card_gateway.post(f"{BASE}/webhooks/stripe", content=payload, headers={"Stripe-Signature": signature})
    (payment,) = card_gateway.get(f"{BASE}/invoices/{invoice['id']}", headers=club["admin"].headers).json()["payments"]

    refund = card_gateway.post(f"{BASE}/payments/{payment['id']}/refunds", json={"reason": "Left the club"},
                               headers=club["admin"].headers)  # fmt: skip

    assert refund.status_code == 201, refund.text
    assert refund.json()["amount_minor"] == 8000 and refund.json()["provider_refund_id"].startswith("re_")
    assert [path for path, _key in fake_stripe.requests].count("/v1/refunds") == 1
    again = card_gateway.post(f"{BASE}/payments/{payment['id']}/refunds", json={"reason": "Left the club"},
                              headers=club["admin"].headers)  # fmt: skip
    assert again.status_code == 422  # nothing left to refund
    refused = card_gateway.post(f"{BASE}/payments/{payment['id']}/refunds", json={"reason": "x"},
                                headers=club["parent"].headers)  # fmt: skip
    assert refused.status_code == 403


def test_a_family_pays_in_instalments_settled_in_order(gateway, payments_club):
    club = payments_club
    invoices = run(gateway, club, fee_plan(gateway, club, amount_minor=10000))["invoices"]
    invoice = next(i for i in invoices if i["player_id"] == str(club["player"].id))
    gateway.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=club["admin"].headers)
    url = f"{BASE}/invoices/{invoice['id']}/instalments"

    plan = gateway.post(url, json={"count": 3, "first_due_on": "2099-01-31"}, headers=club["parent"].headers)

    assert plan.status_code == 201, plan.text
    assert [(p["due_on"], p["amount_minor"]) for p in plan.json()] == [
        ("2099-01-31", 3334), ("2099-02-28", 3333), ("2099-03-31", 3333)
    ]  # fmt: skip
    _pay(gateway, club, invoice, 4000)
    read = gateway.get(f"{BASE}/invoices/{invoice['id']}", headers=club["parent"].headers).json()
    assert [p["paid"] for p in read["instalments"]] == [True, False, False]
    assert read["due_on"] == "2099-03-31"
    for body in ({"count": 13, "first_due_on": day(1)}, {"count": 1, "first_due_on": day(1)},
                 {"count": 2, "first_due_on": day(-1)}):  # fmt: skip
        assert gateway.post(url, json=body, headers=club["parent"].headers).status_code == 422, body
    assert (
        gateway.post(url, json={"count": 2, "first_due_on": day(1)}, headers=club["coach"].headers).status_code == 403
    )


def test_a_new_card_pays_only_the_instalments_still_to_come(gateway, settings, payments_club):
    club = payments_club
    parent = club["parent"].headers
    invoices = run(gateway, club, fee_plan(gateway, club, amount_minor=12000))["invoices"]
    invoice = next(i for i in invoices if i["player_id"] == str(club["player"].id))
    gateway.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=club["admin"].headers)
    url = f"{BASE}/invoices/{invoice['id']}/instalments"
    no_plan = gateway.put(f"{url}/payment-method", json={"payment_method": "card", "card": "pm_new"}, headers=parent)
    assert no_plan.status_code == 409
    plan = gateway.post(url, json={"count": 4, "first_due_on": day(1), "payment_method": "card", "card": "pm_old"},
                        headers=parent)  # fmt: skip
    assert plan.status_code == 201, plan.text
    _pay(gateway, club, invoice, 3000)  # the first part
    # the second part's day passed unpaid: it stays as it was meant to be paid
    sql(settings, "UPDATE payments.instalments SET due_on = %s WHERE invoice_id = %s AND sequence = 2", day(-1),
        invoice["id"])  # fmt: skip

    changed = gateway.put(f"{url}/payment-method", json={"payment_method": "card", "card": "pm_new"}, headers=parent)

    assert changed.status_code == 200, changed.text
    assert [(p["paid"], p["card"]) for p in changed.json()] == [
        (True, "pm_old"), (False, "pm_old"), (False, "pm_new"), (False, "pm_new")]  # fmt: skip
    back = gateway.put(f"{url}/payment-method", json={"payment_method": "bank_transfer"}, headers=parent).json()
    assert [p["payment_method"] for p in back] == ["card", "card", "bank_transfer", "bank_transfer"]
    for body in ({"payment_method": "card"}, {"payment_method": "bank_transfer", "card": "pm_x"},
                 {"payment_method": "card", "card": "4242424242424242"}):  # fmt: skip
        assert gateway.put(f"{url}/payment-method", json=body, headers=parent).status_code == 422, body
    by_coach = gateway.put(f"{url}/payment-method", json={"payment_method": "bank_transfer"},
                           headers=club["coach"].headers)  # fmt: skip
    assert by_coach.status_code == 403
