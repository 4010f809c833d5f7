"""A diagnosis planted in every clinical field reaches no one but medical staff, the player and a guardian: no
response of any GET endpoint of the club API that a coach, a physical trainer of another team or a club admin can
call (walked from the OpenAPI document), no event on NATS, no table of the warehouse, and neither the stats API's
health endpoints nor the dashboard pages a coach reads them on."""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid

import duckdb
import httpx
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

    bodies = asyncio.run(_every_message(settings))

    assert any(problem["id"].encode() in body for body in bodies)  # the problem's events are there
    assert any(b"medical.availability.changed" in body and str(medical_club["player"].id).encode() in body
               for body in bodies)  # fmt: skip
    assert not [body for body in bodies if secret.encode() in body]


async def _every_message(settings) -> list[bytes]:
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


def test_no_warehouse_table_and_no_health_statistic_a_coach_reads_holds_the_diagnosis(
    gateway, medical_club, planted, settings, stats_settings, tmp_path, monkeypatch
):
    from contracts.registry import parse_event
    from operational.stats.app import create_app as create_stats
    from pipelines.dbt_build import invoke_dbt
    from tests.dashboards.helpers import open_dashboard, shown_text
    from tests.operational.stats.snapshots import mart_tables
    from tests.servers import served
    from warehouse.raw import load_events
    from warehouse.serving import publish_snapshot

    secret, problem = planted
    club = medical_club
    drain_and_consume(settings, services=["medical"])
    events = [parse_event(body) for body in asyncio.run(_every_message(settings))]
    path = tmp_path / "hub.duckdb"
    with contextlib.closing(duckdb.connect(str(path))) as conn:
        load_events(conn, [e for e in events if e.org_id == club.org_id])
    monkeypatch.setenv("HUB_WAREHOUSE_PATH", str(path))
    monkeypatch.setenv("HUB_DBT_TARGET", "duckdb")
    outcome = invoke_dbt(["run"])
    assert outcome.success, outcome.exception

    with contextlib.closing(duckdb.connect(str(path))) as conn:
        outline = conn.execute(
            "SELECT osiics_group, body_area FROM marts.fct_health_problems WHERE problem_id = ?", [problem["id"]]
        ).fetchall()
        assert outline == [("HN", "Head")]  # the problem reached the warehouse, as an outline
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
        for schema, table in tables:
            found = conn.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" AS t WHERE CAST(t AS VARCHAR) LIKE ?', [f"%{secret}%"]
            ).fetchone()[0]
            assert found == 0, f"{schema}.{table}"
        publish_snapshot(conn, stats_settings.snapshots_dir, mart_tables(conn))

    coach = club["coach"]
    with served(create_stats(stats_settings)) as stats_url:
        for what in ("availability", "injury-surveillance", "return-to-play"):
            response = httpx.get(f"{stats_url}/api/v1/stats/teams/{club.team_id}/{what}", headers=coach.headers)
            assert response.status_code == 200, response.text
            assert secret not in response.text and "Concussion" not in response.text, what
        for page in ("availability", "injury_surveillance"):
            app = open_dashboard(monkeypatch, stats_url, coach.token, page=page)
            assert not app.exception, app.exception
            assert secret not in shown_text(app) and "Concussion" not in shown_text(app), page
            if page == "availability":  # the page did show the player's absence, without the reason
                assert "Unavailable" in shown_text(app)
