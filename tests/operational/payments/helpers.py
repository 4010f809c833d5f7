"""Helpers for the payments service's tests: a fee plan, an invoice run, users events for the read model, SQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import psycopg

from contracts import users
from operational.kit.db import libpq_url
from operational.kit.events import new_event

BASE = "/api/v1/payments"


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def guardian_linked(club, guardian: str, minor: str):
    data = users.GuardianLinked(link_id=uuid.uuid4(), guardian_id=club[guardian].id, minor_id=club[minor].id)
    return new_event(users.GuardianLinkedEvent, org_id=club.org_id, subject_id=data.link_id, actor=None, data=data)


def fee_plan(client, club, **overrides) -> dict:
    body = {
        "team_id": str(club.team_id),
        "name": "U16 season fee",
        "amount_minor": 22501,
        "currency": "EUR",
        "season_start": day(0),
        "season_end": day(300),
    }
    body.update(overrides)
    response = client.post(f"{BASE}/fee-plans", json=body, headers=club["admin"].headers)
    assert response.status_code == 201, response.text
    return response.json()


def run(client, club, plan: dict, **body) -> dict:
    response = client.post(f"{BASE}/fee-plans/{plan['id']}/invoice-runs", json=body, headers=club["admin"].headers)
    assert response.status_code == 201, response.text
    return response.json()


def issued_invoice(client, club, **plan_overrides) -> dict:
    """The teammate's season invoice (one payer: the teammate), issued."""
    invoices = run(client, club, fee_plan(client, club, **plan_overrides))["invoices"]
    (invoice,) = [i for i in invoices if i["player_id"] == str(club["teammate"].id)]
    response = client.post(f"{BASE}/invoices/{invoice['id']}/issue", headers=club["admin"].headers)
    assert response.status_code == 200, response.text
    return response.json()


def sql(settings, statement: str, *params):
    with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def outbox_events(settings, invoice_id, subject="hub.payments.invoice.changed") -> list[dict]:
    rows = sql(
        settings,
        "SELECT envelope FROM payments.outbox WHERE subject = %s AND envelope->'data'->>'invoice_id' = %s ORDER BY id",
        subject,
        str(invoice_id),
    )
    return [row[0] for row in rows]
