"""A season's fees end to end: the treasurer runs and issues a team's invoices, a guardian pays one by card (Stripe
faked on loopback) and one by bank transfer, the reminder job reminds the family that has not paid (its
``payments.reminder.due`` reaches NATS for comms to deliver), a refund is kept as credit, and the Finance figures in
the stats API and on the Finance page follow — real Postgres, relay, NATS, Dagster + dbt + DuckDB, stats API and
Streamlit."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from streamlit.testing.v1 import AppTest

from dashboards.session import TOKEN_KEY
from operational.kit.db import sqlalchemy_url
from operational.payments.reminders import send_due_reminders
from tests.dashboards.helpers import APP, shown_text
from tests.e2e.test_rpe_to_stats import _wait_for, system  # noqa: F401  (the whole system, as a fixture)
from tests.messaging import jetstream_on
from tests.operational.payments.conftest import _club, fake_stripe  # noqa: F401  (Stripe faked on loopback)
from tests.operational.payments.helpers import BASE

pytestmark = pytest.mark.e2e


def _reminders_due(settings, today: date) -> int:
    async def go():
        engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
        try:
            return await send_due_reminders(engine, today)
        finally:
            await engine.dispose()

    return asyncio.run(go())


async def _last_reminder(settings) -> dict:
    async with jetstream_on(settings) as js:
        message = await js.get_last_msg("HUB_EVENTS", "hub.payments.reminder.due")
        return json.loads(message.data)


def test_a_season_of_fees_reaches_the_finance_page(fake_stripe, system, settings, monkeypatch):  # noqa: F811
    gateway_url, stats_url = system
    club = _club(settings)
    admin, parent = club["admin"].headers, club["parent"].headers
    today = date.today()
    with httpx.Client(base_url=gateway_url, timeout=30) as api:

        def season_invoices(name: str, amount_minor: int) -> dict[str, dict]:
            season_end = (today + timedelta(days=300)).isoformat()
            plan = api.post(f"{BASE}/fee-plans", headers=admin, json={
                "team_id": str(club.team_id), "name": name, "amount_minor": amount_minor, "currency": "EUR",
                "season_start": today.isoformat(), "season_end": season_end})  # fmt: skip
            run = api.post(f"{BASE}/fee-plans/{plan.json()['id']}/invoice-runs", headers=admin,
                           json={"due_on": today.isoformat()})  # fmt: skip
            assert run.status_code == 201, run.text
            by_player = {invoice["player_id"]: invoice for invoice in run.json()["invoices"]}
            return {name: by_player[str(club[name].id)] for name in ("player", "teammate")}

        season = season_invoices("Season fee", 20000)
        tournament = season_invoices("Tournament fee", 5000)
        for invoice in (season["player"], season["teammate"], tournament["player"]):
            assert api.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=admin).status_code == 200

        # the guardian pays the season fee by card …
        started = api.post(f"{BASE}/invoices/{season['player']['id']}/checkout", json={}, headers=parent)
        assert started.status_code == 200, started.text
        payload, signature = fake_stripe.succeed(started.json()["provider_payment_id"])
        webhook = api.post(f"{BASE}/webhooks/stripe", content=payload,
                           headers={"Stripe-Signature": signature, "Content-Type": "application/json"})  # fmt: skip
        assert webhook.status_code == 200, webhook.text
        # … and the tournament fee by bank transfer, which the treasurer finds on the statement
        transfer = api.post(f"{BASE}/invoices/{tournament['player']['id']}/payments", headers=admin,
                            json={"amount_minor": 5000, "method": "bank_transfer", "reference": "BANK-1"})  # fmt: skip
        assert transfer.status_code == 201, transfer.text
        # the teammate has not paid: the day after the due day the first reminder goes out
        assert _reminders_due(settings, today + timedelta(days=1)) == 1
        # 30 € of the card payment comes back as credit for the family's next invoice
        card = api.get(f"{BASE}/invoices/{season['player']['id']}", headers=admin).json()["payments"][0]
        kept = {"amount_minor": 3000, "destination": "credit_balance", "reason": "Missed camp"}
        refund = api.post(f"{BASE}/payments/{card['id']}/refunds", headers=admin, json=kept)
        assert refund.status_code == 201, refund.text

    reminder = _wait_for(lambda: _reminder_of(settings, season["teammate"]["id"]), timeout=60,
                         what="the reminder did not reach NATS")  # fmt: skip
    assert (reminder["data"]["level"], reminder["data"]["amount_due_minor"]) == (1, 20000)

    with httpx.Client(base_url=stats_url, timeout=10) as stats:

        def finance_caught_up():
            response = stats.get("/api/v1/stats/finance", headers=admin)
            body = response.json() if response.status_code == 200 else {}
            teams = body.get("teams") or []
            done = teams and teams[0]["collected_minor"] == 22000 and body.get("reminders")
            return body if done else None

        finance = _wait_for(finance_caught_up, timeout=180, what="the fees did not reach the finance statistics")
    # invoiced: 200 € + 200 € + 50 € less the 30 € credited back = 420 €; collected 170 € + 50 € = 220 €
    (team,) = finance["teams"]
    assert (team["team_name"], team["invoices_issued"], team["invoiced_minor"], team["outstanding_minor"]) == (
        "U16", 3, 42000, 20000)  # fmt: skip
    assert [(m["collected_minor"], m["refunded_minor"]) for m in finance["months"]] == [(25000, 0)]
    assert [(r["reminder_level"], r["reminders_sent"]) for r in finance["reminders"]] == [(1, 1)]

    monkeypatch.setenv("HUB_STATS_URL", stats_url)
    monkeypatch.setenv("HUB_GATEWAY_URL", gateway_url)
    page = AppTest.from_file(str(APP), default_timeout=30)
    page.session_state[TOKEN_KEY] = club["admin"].token
    page.run()
    finance_page = page.switch_page("views/finance.py").run()
    assert not finance_page.exception
    for expected in ("U16", "€220.00", "€200.00", "52%", "Level 1"):
        assert expected in shown_text(finance_page), expected


def _reminder_of(settings, invoice_id: str) -> dict | None:
    event = asyncio.run(_last_reminder(settings))
    return event if event["data"]["invoice_id"] == invoice_id else None
