"""Reminders by levels: only the overdue, unpaid part; once per level; none for a member in hardship."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from operational.kit.db import sqlalchemy_url
from operational.payments.models import Instalment, Invoice, Reminder
from operational.payments.reminders import Overdue, next_level, overdue_on, send_due_reminders
from tests.operational.payments.helpers import BASE, fee_plan, outbox_events, run

DAY = date(2026, 10, 1)


def _invoice(due_minor: int, due_on: date = DAY) -> Invoice:
    return Invoice(total_minor=10000, paid_minor=10000 - due_minor, credited_minor=0, due_on=due_on)


def _parts(*amounts_and_days) -> list[Instalment]:
    return [Instalment(sequence=n + 1, amount_minor=a, due_on=d) for n, (a, d) in enumerate(amounts_and_days)]


def test_only_the_unpaid_overdue_part_is_reminded():
    assert overdue_on(_invoice(4000), [], DAY) is None  # due today: not yet overdue
    assert overdue_on(_invoice(4000), [], DAY + timedelta(days=1)) == Overdue(4000, DAY)
    # 3 instalments of 40/30/30, 50 paid: the second part's day has passed, 20 of it is unpaid
    parts = _parts((4000, DAY), (3000, DAY + timedelta(days=30)), (3000, DAY + timedelta(days=60)))
    assert overdue_on(_invoice(5000), parts, DAY + timedelta(days=31)) == Overdue(2000, DAY + timedelta(days=30))
    assert overdue_on(_invoice(6000), parts, DAY + timedelta(days=10)) is None  # the first part is paid


def test_levels_follow_the_days_each_reminder_gives():
    overdue = Overdue(4000, DAY)
    assert next_level(overdue, None, [30, 14, 5], DAY + timedelta(days=1)) == (1, DAY + timedelta(days=31))
    first = Reminder(level=1, pay_by=DAY + timedelta(days=31))
    assert next_level(overdue, first, [30, 14, 5], DAY + timedelta(days=31)) is None
    assert next_level(overdue, first, [30, 14, 5], DAY + timedelta(days=32)) == (2, DAY + timedelta(days=46))
    last = Reminder(level=3, pay_by=DAY)
    assert next_level(overdue, last, [30, 14, 5], DAY + timedelta(days=99)) is None


def _send(settings, today: date) -> None:
    async def go():
        engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
        try:
            return await send_due_reminders(engine, today)
        finally:
            await engine.dispose()

    asyncio.run(go())


def test_the_job_reminds_each_level_once_and_skips_hardship(gateway, settings, own_club):
    club = own_club
    admin = club["admin"].headers
    assert gateway.put(f"{BASE}/reminder-policy", json={"days_to_pay": [10, 5]}, headers=admin).status_code == 200
    today = date.today()
    invoices = run(gateway, club, fee_plan(gateway, club, amount_minor=10000), due_on=today.isoformat())["invoices"]
    for invoice in invoices:
        gateway.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=admin)
    minors = next(i for i in invoices if i["player_id"] == str(club["player"].id))
    teammates = next(i for i in invoices if i["player_id"] == str(club["teammate"].id))
    gateway.post(f"{BASE}/invoices/{minors['id']}/payments", json={"amount_minor": 2500}, headers=admin)
    assert gateway.put(f"{BASE}/hardship/{club['teammate'].id}", headers=admin).status_code == 204
    assert gateway.put(f"{BASE}/hardship/{uuid.uuid4()}", headers=admin).status_code == 404

    for offset in (1, 1, 5, 12, 20, 30):  # levels on days 1 (gives 10 days) and 12 (gives 5); then no more levels
        _send(settings, today + timedelta(days=offset))

    sent = outbox_events(settings, minors["id"], subject="hub.payments.reminder.due")
    assert [(e["data"]["level"], e["data"]["amount_due_minor"], e["data"]["days_overdue"]) for e in sent] == [
        (1, 7500, 1), (2, 7500, 12)
    ]  # fmt: skip
    assert sent[0]["data"]["payer_id"] == str(club["parent"].id)
    assert not outbox_events(settings, teammates["id"], subject="hub.payments.reminder.due")
    read = gateway.get(f"{BASE}/invoices/{minors['id']}", headers=club["parent"].headers).json()
    assert [r["level"] for r in read["reminders"]] == [1, 2]
    bad = gateway.put(f"{BASE}/reminder-policy", json={"days_to_pay": []}, headers=admin)
    assert bad.status_code == 422
    assert gateway.get(f"{BASE}/reminder-policy", headers=club["coach"].headers).status_code == 403
