"""A guardian pays by card: the Stripe adapter against a fake of Stripe's API on loopback (idempotency keys, retries,
the circuit breaker) and its signed webhooks."""

from __future__ import annotations

import time

from tests.operational.payments.fake_stripe import sign
from tests.operational.payments.helpers import BASE, fee_plan, run


def _parents_invoice(client, club, amount_minor=15000) -> dict:
    invoices = run(client, club, fee_plan(client, club, amount_minor=amount_minor))["invoices"]
    invoice = next(i for i in invoices if i["player_id"] == str(club["player"].id))
    client.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=club["admin"].headers)
    return invoice


def _webhook(client, payload: bytes, signature: str):
    return client.post(f"{BASE}/webhooks/stripe", content=payload,
                       headers={"Stripe-Signature": signature, "Content-Type": "application/json"})  # fmt: skip


def test_a_guardian_pays_by_card_once_however_often_they_click_and_stripe_resends(
    card_gateway, fake_stripe, payments_club
):
    club = payments_club
    invoice = _parents_invoice(card_gateway, club)
    url = f"{BASE}/invoices/{invoice['id']}"

    first = card_gateway.post(f"{url}/checkout", json={"method": "card"}, headers=club["parent"].headers)
    again = card_gateway.post(f"{url}/checkout", json={"method": "card"}, headers=club["parent"].headers)

    assert first.status_code == 200, first.text
    assert first.json()["client_secret"] and first.json()["amount_display"] == "€150.00"
    assert again.json()["provider_payment_id"] == first.json()["provider_payment_id"]  # one intent at Stripe
    keys = [key for path, key in fake_stripe.requests if path == "/v1/payment_intents"]
    assert len(keys) == 2 and keys[0] == keys[1]

    payload, signature = fake_stripe.succeed(first.json()["provider_payment_id"])
    assert _webhook(card_gateway, payload, signature).json()["outcome"] == "recorded"
    assert _webhook(card_gateway, payload, signature).json()["outcome"] == "already recorded"

    paid = card_gateway.get(url, headers=club["parent"].headers).json()
    assert (paid["status"], paid["paid_minor"]) == ("paid", 15000)
    assert [(p["method"], p["amount_minor"]) for p in paid["payments"]] == [("card", 15000)]


def test_a_forged_altered_or_replayed_webhook_changes_nothing(card_gateway, fake_stripe, payments_club):
    club = payments_club
    invoice = _parents_invoice(card_gateway, club)
    started = card_gateway.post(f"{BASE}/invoices/{invoice['id']}/checkout", json={}, headers=club["parent"].headers)
    payload, signature = fake_stripe.succeed(started.json()["provider_payment_id"])
    old_payload, old_signature = fake_stripe.succeed(started.json()["provider_payment_id"], created=time.time() - 3600)

    forged = sign(payload, timestamp=int(time.time()), secret="whsec_not_ours")
    for body, header in [
        (payload, forged),
        (payload.replace(b"15000", b"99999"), signature),
        (old_payload, old_signature),
        (payload, ""),
    ]:
        response = _webhook(card_gateway, body, header)
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_signature"
    unpaid = card_gateway.get(f"{BASE}/invoices/{invoice['id']}", headers=club["admin"].headers).json()
    assert unpaid["paid_minor"] == 0


def test_stripe_failing_for_a_moment_is_retried_and_failing_for_long_opens_the_circuit(
    card_gateway, fake_stripe, payments_club
):
    club = payments_club
    invoice = _parents_invoice(card_gateway, club)
    url = f"{BASE}/invoices/{invoice['id']}/checkout"

    fake_stripe.fail_next = [500, 503]
    retried = card_gateway.post(url, json={}, headers=club["parent"].headers)
    assert retried.status_code == 200, retried.text
    assert len({key for _path, key in fake_stripe.requests}) == 1  # every attempt with the same key

    fake_stripe.fail_next = [500] * 6  # two calls of three attempts each: the breaker (2 failures) opens
    for _ in range(2):
        down = card_gateway.post(url, json={"amount_minor": 100}, headers=club["parent"].headers)
        assert down.status_code == 503 and "bank transfer" in down.json()["error"]["message"]
    calls = len(fake_stripe.requests)
    refused = card_gateway.post(url, json={"amount_minor": 200}, headers=club["parent"].headers)
    assert refused.status_code == 503 and "Retry-After" in refused.headers
    assert len(fake_stripe.requests) == calls  # the open circuit did not call Stripe

    by_bank = card_gateway.post(url, json={"method": "bank_transfer"}, headers=club["parent"].headers)
    assert by_bank.status_code == 200 and by_bank.json()["reference"] == invoice["number"]


def test_without_a_stripe_key_cards_are_refused_and_bank_transfer_is_offered(gateway, payments_club):
    club = payments_club
    invoice = _parents_invoice(gateway, club)
    url = f"{BASE}/invoices/{invoice['id']}/checkout"
    card = gateway.post(url, json={"method": "card"}, headers=club["parent"].headers)
    assert card.status_code == 503 and "bank transfer" in card.json()["error"]["message"]
    bank = gateway.post(url, json={"method": "bank_transfer"}, headers=club["parent"].headers)
    assert bank.status_code == 200
    assert (bank.json()["reference"], bank.json()["amount_minor"]) == (invoice["number"], 15000)
    assert gateway.post(url, json={}, headers=club["coach"].headers).status_code == 403
