"""A practice carries the coach's intended RPE beside its duration, so every planned practice has a planned load
(RPE × minutes); the event says it (an optional field: older events without it stay valid)."""

from __future__ import annotations

import psycopg

from operational.kit.db import libpq_url
from tests.operational.calendar.helpers import API

PRACTICE = {
    "kind": "practice",
    "title": "Ice practice",
    "starts_at": "2027-03-16T17:00:00+01:00",
    "duration_minutes": 90,
    "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
}


def _planned_rpe_in_events(settings, series_id) -> list:
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        rows = conn.execute(
            "SELECT envelope->'data'->'planned_rpe' FROM calendar.outbox WHERE envelope->>'subject_id' = %s "
            "ORDER BY id",
            (str(series_id),),
        ).fetchall()
    return [row[0] for row in rows]


def test_a_practice_keeps_its_intended_rpe_and_the_events_carry_it(gateway, cal_club, settings):
    coach = cal_club["coach"].headers
    body = PRACTICE | {"team_id": str(cal_club.team_id), "planned_rpe": 6}
    created = gateway.post(f"{API}/events", json=body, headers=coach)
    assert created.status_code == 201, created.text
    series = created.json()["event"]
    assert series["planned_rpe"] == 6

    one = gateway.patch(
        f"{API}/events/{series['id']}/occurrences/2027-03-23T16:00:00Z", json={"planned_rpe": 4}, headers=coach
    )
    assert one.status_code == 422 and "whole series" in one.json()["error"]["message"]
    changed = gateway.patch(f"{API}/events/{series['id']}", json={"planned_rpe": 4}, headers=coach)
    assert changed.status_code == 200, changed.text
    assert changed.json()["event"]["planned_rpe"] == 4
    cleared = gateway.patch(f"{API}/events/{series['id']}", json={"planned_rpe": None}, headers=coach)
    assert cleared.json()["event"]["planned_rpe"] is None
    assert _planned_rpe_in_events(settings, series["id"]) == [6, 4, None]

    too_hard = gateway.post(f"{API}/events", json=body | {"planned_rpe": 11}, headers=coach)
    assert too_hard.status_code == 422 and too_hard.json()["error"]["field"] == "planned_rpe"
