"""Helpers for the medical service's tests: request bodies, a recorded problem, SQL as the database owner."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg

from operational.kit.db import libpq_url

BASE = "/api/v1/medical"


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def problem_body(player, **overrides) -> dict:
    """A groin strain in a game, two weeks ago, still keeping the player out."""
    body = {
        "player_id": str(player.id),
        "kind": "injury",
        "osiics_code": "GT1",
        "side": "left",
        "onset": "sudden",
        "mechanism": "non_contact",
        "activity": "game",
        "time_loss": True,
        "onset_date": days_ago(14),
        "diagnosis": "Adductor longus origin strain",
        "notes": "Tender at the origin; pain on resisted adduction.",
    }
    body.update(overrides)
    return body


def record(gateway, club, **overrides):
    response = gateway.post(f"{BASE}/problems", json=problem_body(club["player"], **overrides),
                            headers=club["medic"].headers)  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


def sql(settings, statement: str, *params):
    with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def outbox_events(settings, player_id, subject="hub.medical.availability.changed") -> list[dict]:
    rows = sql(
        settings,
        "SELECT envelope FROM medical.outbox WHERE subject = %s AND envelope->'data'->>'player_id' = %s ORDER BY id",
        subject,
        str(player_id),
    )
    return [row[0] for row in rows]
