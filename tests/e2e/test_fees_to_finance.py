"""A season's fees end to end: the treasurer runs and issues a team's invoices, a guardian pays one by card (Stripe
faked on loopback) and one by bank transfer, the reminder job reminds the family that has not paid (its
``payments.reminder.due`` reaches NATS for comms to deliver), a refund is kept as credit, and the Finance figures in
the stats API and on the Finance page follow — real Postgres, relay, NATS, Dagster + dbt + DuckDB, stats API and
Streamlit.

The season is written first and its events published; the pipeline runner starts after, so its start-up pass loads
them all and builds the marts once (a runner started first builds on every trickle of events, three or four builds
in all). The Postgres warehouse has its own end-to-end run in test_rpe_to_stats.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from streamlit.testing.v1 import AppTest

from dashboards.session import TOKEN_KEY
from operational.gateway import create_app as create_gateway
from operational.kit.db import sqlalchemy_url
from operational.payments.reminders import send_due_reminders
from operational.stats.app import create_app as create_stats
from operational.stats.config import StatsSettings
from pipelines.config import PipelineSettings
from pipelines.runner import run_forever
from tests.dashboards.helpers import APP, shown_text
from tests.e2e.test_rpe_to_stats import _wait_for
from tests.messaging import drain_and_consume, jetstream_on
from tests.operational.payments.conftest import _club, fake_stripe  # noqa: F401  (Stripe faked on loopback)
from tests.operational.payments.helpers import BASE
from tests.servers import served

pytestmark = pytest.mark.e2e


@contextlib.contextmanager
def _warehouse_and_stats(settings, pipeline_env, caplog) -> Iterator[str]:
    """The pipeline runner on the DuckDB warehouse, past its start-up pass (every event published so far loaded and
    the marts built), and the stats API over its serving snapshot; yields the stats API's URL."""
    stats_settings = StatsSettings(jwt_public_key_path=settings.jwt_public_key_path, log_json=False,
                                   serving_dir=pipeline_env.serving_dir, nats_url=settings.nats_url)  # fmt: skip
    pipeline_settings = PipelineSettings(nats_url=pipeline_env.nats_url, warehouse_path=pipeline_env.warehouse_path,
                                         serving_dir=pipeline_env.serving_dir, poll_seconds=0.2,
                                         dagster_home_dir=pipeline_env.dagster_home)  # fmt: skip
    caplog.set_level(logging.INFO, logger="pipelines.runner")
    stop = threading.Event()
    runner = threading.Thread(target=run_forever, args=(stop, pipeline_settings), daemon=True)
    runner.start()
    try:

        def started() -> bool:
            return any(r.getMessage() == "pipeline runner started" for r in caplog.records) or not runner.is_alive()

        _wait_for(started, timeout=240, what="the pipeline runner did not finish its start-up pass")
        assert runner.is_alive(), "the pipeline runner died while starting"
        with served(create_stats(stats_settings)) as stats_url:
            yield stats_url
    finally:
        stop.set()
        runner.join(timeout=60)


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


def test_a_season_of_fees_reaches_the_finance_page(fake_stripe, settings, pipeline_env, caplog, monkeypatch):  # noqa: F811
    club = _club(settings)
    with served(create_gateway(settings)) as gateway_url:
        season = _a_season(fake_stripe, settings, club, gateway_url)
        drain_and_consume(settings, services=())  # the worker's relays publish every outbox, the reminder's included
        reminder = _reminder_of(settings, season["teammate"]["id"])
        assert reminder is not None, "the reminder did not reach NATS"
        assert (reminder["data"]["level"], reminder["data"]["amount_due_minor"]) == (1, 20000)

        with _warehouse_and_stats(settings, pipeline_env, caplog) as stats_url:
            finance = _finance_when_caught_up(stats_url, club["admin"].headers)
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


def _a_season(stripe, settings, club, gateway_url: str) -> dict[str, dict]:
    """Two fees (200 € and 50 €) for the player and the teammate; three issued, the player's paid (the season fee by
    card, the tournament fee by bank transfer), the teammate reminded, 30 € of the card payment kept as credit.
    Returns the season fee's invoices by name."""
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
        payload, signature = stripe.succeed(started.json()["provider_payment_id"])
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

    return season


def _finance_when_caught_up(stats_url: str, admin: dict) -> dict:
    with httpx.Client(base_url=stats_url, timeout=10) as stats:

        def finance_caught_up():
            response = stats.get("/api/v1/stats/finance", headers=admin)
            body = response.json() if response.status_code == 200 else {}
            teams = body.get("teams") or []
            done = teams and teams[0]["collected_minor"] == 22000 and body.get("reminders")
            return body if done else None

        return _wait_for(finance_caught_up, timeout=180, what="the fees did not reach the finance statistics")


def _reminder_of(settings, invoice_id: str) -> dict | None:
    event = asyncio.run(_last_reminder(settings))
    return event if event["data"]["invoice_id"] == invoice_id else None
