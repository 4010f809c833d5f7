"""Helpers for the comms service's tests: a practice scheduled through the calendar API, notifications read back."""

from __future__ import annotations

from dataclasses import replace

from tests.factories import Person, token_for

BASE = "/api/v1/comms"
CAL = "/api/v1/calendar"
PRACTICE = {"kind": "practice", "title": "Ice practice", "starts_at": "2027-04-06T17:00:00+02:00",
            "duration_minutes": 90}  # fmt: skip


def schedule(gateway, club, **overrides) -> dict:
    body = {**PRACTICE, "team_id": str(club.team_id), **overrides}
    response = gateway.post(f"{CAL}/events", json=body, headers=club["coach"].headers)
    assert response.status_code == 201, response.text
    return response.json()["event"]


def notifications(gateway, person, **params) -> dict:
    response = gateway.get(f"{BASE}/notifications", params=params, headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


def speaking(settings, person: Person, lang: str) -> Person:
    """The same person with a token in another language."""
    principal = replace(person.principal, lang=lang)
    return Person(id=person.id, email=person.email, principal=principal, token=token_for(settings, principal))
