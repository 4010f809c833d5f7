"""A diagnosis planted in every clinical field reaches no one but medical staff, the player and a guardian: no
response of any GET endpoint of the club API that a coach, a physical trainer of another team or a club admin can
call (walked from the OpenAPI document), and no event on NATS."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest

from messaging import nats as hub_nats
from tests.messaging import drain_and_consume
from tests.operational.medical.helpers import BASE, days_ago, record


@pytest.fixture
def planted(gateway, medical_club):
    """A concussion whose diagnosis, notes, treatment notes and stage notes carry one unique string."""
    secret = f"Zebrafish-syndrome-{uuid.uuid4().hex[:12]}"
    medic = medical_club["medic"].headers
    problem = record(gateway, medical_club, osiics_code="HN1", side=None, mechanism="contact",
                     onset_date=days_ago(2), diagnosis=secret, notes=f"Notes: {secret}")  # fmt: skip
    url = f"{BASE}/problems/{problem['id']}"
    treatment = {"treated_on": days_ago(1), "kind": "assessment", "clinician": "Dr Lind", "notes": secret}
    assert gateway.post(f"{url}/treatments", json=treatment, headers=medic).status_code == 201
    start = {"protocol": "concussion_graduated_return", "note": secret}
    assert gateway.post(f"{url}/return-to-play", json=start, headers=medic).status_code == 201
    decision = {"action": "symptoms_returned", "note": secret}
    assert gateway.post(f"{url}/return-to-play/decisions", json=decision, headers=medic).status_code == 200
    assert secret in gateway.get(url, headers=medical_club["player"].headers).text  # it is there to be found
    return secret, problem


def _path_values(club, problem) -> dict[str, str]:
    return {
        "player_id": str(club["player"].id),
        "user_id": str(club["player"].id),
        "minor_id": str(club["player"].id),
        "team_id": str(club.team_id),
        "problem_id": problem["id"],
    }


def _get_operations(gateway):
    document = gateway.get("/openapi.json").json()
    for path, item in document["paths"].items():
        if "get" in item:
            yield path, item["get"]


@pytest.mark.parametrize("who", ["coach", "other_coach", "admin", "teammate"])
def test_no_response_anyone_else_can_reach_holds_the_diagnosis(gateway, medical_club, planted, who):
    secret, problem = planted
    values = _path_values(medical_club, problem)
    walked = 0
    for path, operation in _get_operations(gateway):
        url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), str(uuid.uuid4())), path)
        queries = [{}]
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if "player_id" in names:
            queries.append({"player_id": values["player_id"]})
        if "team_id" in names:
            queries.append({"team_id": values["team_id"]})
        for query in queries:
            response = gateway.get(url, params=query, headers=medical_club[who].headers)
            assert secret not in response.text, f"{who}: GET {url} {query} -> {response.status_code}"
            walked += 1
    assert walked > 50


def test_no_event_on_nats_holds_the_diagnosis(gateway, medical_club, planted, settings):
    secret, problem = planted
    drain_and_consume(settings, services=["medical"])

    async def every_message() -> list[bytes]:
        nc = await hub_nats.connect(settings.nats_url, name="tests-privacy")
        try:
            sub = await nc.jetstream().pull_subscribe("hub.>", durable=None, stream="HUB_EVENTS")
            bodies = []
            while True:
                try:
                    messages = await sub.fetch(1000, timeout=1)
                except Exception:  # nats' fetch timeout: nothing more pending
                    break
                bodies += [message.data for message in messages]
                for message in messages:
                    await message.ack()
            await sub.unsubscribe()
            return bodies
        finally:
            await nc.close()

    bodies = asyncio.run(every_message())

    assert any(problem["id"].encode() in body for body in bodies)  # the problem's events are there
    assert any(b"medical.availability.changed" in body and str(medical_club["player"].id).encode() in body
               for body in bodies)  # fmt: skip
    assert not [body for body in bodies if secret.encode() in body]
