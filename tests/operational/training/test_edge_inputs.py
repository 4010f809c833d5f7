"""Edge inputs are a clear 4xx in the one error shape, never a 500: explicit nulls in corrections, numbers beyond any
column, infinities and NaN (which Python's JSON reader accepts), dates at the ends of the calendar."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_club
from tests.messaging import drain_and_consume
from tests.operational.training.helpers import BASE, HOOPER

YESTERDAY = str(date.today() - timedelta(days=1))
HOOPER_JSON = '{"sleep_quality": 3, "fatigue": 4, "stress": 2, "muscle_soreness": 5}'


@pytest.fixture(scope="module")
def world(settings):
    from operational.gateway import create_app

    club = make_club(settings)
    drain_and_consume(settings, services=["training"])
    coach, player = club["coach"], club["player"]
    with TestClient(create_app(settings)) as client:

        def made(path, body, person):
            response = client.post(BASE + path, json=body, headers=person.headers)
            assert response.status_code == 201, response.text
            return response.json()["id"]

        squat = client.get(f"{BASE}/exercises", params={"q": "Back squat"}, headers=coach.headers).json()["items"][0]
        ids = {"squat": squat["id"], "player": str(player.id)}
        ids["exercise"] = made("/exercises", {"name": "Own drill", "category": "on_ice"}, coach)
        block = {"name": "Main", "exercises": [{"exercise_id": squat["id"], "reps": 5}]}
        ids["template"] = made("/templates", {"name": "Legs", "blocks": [block]}, coach)
        started = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
        ids["session"] = made("/sessions", {"title": "Gym", "starts_at": started, "team_id": str(club.team_id)}, coach)
        ids["log"] = made("/rpe-logs", {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 40}, player)
        ids["wellness"] = made("/wellness", {"items": HOOPER}, player)
        ids["test"] = made("/tests", {"name": "Sprint", "unit": "s", "direction": "lower_is_better"}, coach)
        yield client, ids, club


# (who, method, path, raw JSON body or None, expected status)
CASES = [
    # explicit null where a value is kept
    ("player", "PATCH", "/rpe-logs/{log}", '{"rpe": null}', 422),
    ("player", "PATCH", "/rpe-logs/{log}", '{"duration_minutes": null}', 422),
    ("player", "PATCH", "/rpe-logs/{log}", '{"team_id": null}', 422),
    ("player", "PATCH", "/rpe-logs/{log}", '{"session_id": null}', 200),  # clearable
    ("player", "PATCH", "/wellness/{wellness}", '{"items": null}', 422),
    ("player", "PATCH", "/wellness/{wellness}", '{"wellness_date": null}', 422),
    ("player", "PATCH", "/wellness/{wellness}", '{"sleep_hours": null}', 200),  # clearable
    ("coach", "PATCH", "/exercises/{exercise}", '{"name": null}', 422),
    ("coach", "PATCH", "/exercises/{exercise}", '{"category": null}', 422),
    ("coach", "PATCH", "/exercises/{exercise}", '{"equipment": null}', 422),
    ("coach", "PATCH", "/exercises/{exercise}", '{"reference_test_name": null}', 200),  # clearable
    ("coach", "PATCH", "/templates/{template}", '{"name": null}', 422),
    ("coach", "PATCH", "/templates/{template}", '{"blocks": null}', 422),
    ("coach", "PATCH", "/templates/{template}", '{"description": null}', 422),
    # numbers beyond any column, infinities, NaN
    (
        "player",
        "POST",
        "/rpe-logs",
        '{"session_date": "{yesterday}", "duration_minutes": 40, "rpe": 100000000000000000000000000000}',
        422,
    ),
    ("player", "POST", "/rpe-logs", '{"session_date": "{yesterday}", "rpe": 5, "duration_minutes": 1e400}', 422),
    ("player", "POST", "/rpe-logs", '{"session_date": "{yesterday}", "rpe": NaN, "duration_minutes": 40}', 422),
    ("player", "PATCH", "/rpe-logs/{log}", '{"duration_minutes": 99999999999999999999999}', 422),
    ("player", "POST", "/wellness", '{"items": {hooper}, "sleep_hours": NaN}', 422),
    ("player", "POST", "/wellness", '{"items": {hooper}, "sleep_hours": Infinity}', 422),
    (
        "player",
        "POST",
        "/wellness",
        '{"items": {"sleep_quality": 1e400, "fatigue": 1, "stress": 1, "muscle_soreness": 1}}',
        422,
    ),
    (
        "player",
        "POST",
        "/wellness",
        '{"items": {"sleep_quality": 99999999999999999999, "fatigue": 1, "stress": 1, "muscle_soreness": 1}}',
        422,
    ),
    ("player", "PATCH", "/wellness/{wellness}", '{"sleep_hours": -Infinity}', 422),
    (
        "coach",
        "POST",
        "/tests/{test}/results",
        '{"player_id": "{player}", "value": Infinity, "tested_on": "{yesterday}"}',
        422,
    ),
    (
        "coach",
        "POST",
        "/tests/{test}/results",
        '{"player_id": "{player}", "value": NaN, "tested_on": "{yesterday}"}',
        422,
    ),
    (
        "coach",
        "POST",
        "/tests/{test}/results",
        '{"player_id": "{player}", "value": 1e300, "tested_on": "{yesterday}"}',
        422,
    ),
    (
        "coach",
        "POST",
        "/templates",
        '{"name": "Big", "blocks": [{"name": "b", "exercises": [{"exercise_id": "{squat}", '
        '"sets": 100000000000000000000, "reps": 5}]}]}',
        422,
    ),
    (
        "coach",
        "POST",
        "/templates",
        '{"name": "Heavy", "blocks": [{"name": "b", "exercises": [{"exercise_id": "{squat}", '
        '"reps": 5, "load_kg": Infinity}]}]}',
        422,
    ),
    (
        "coach",
        "POST",
        "/sessions",
        '{"title": "x", "starts_at": "2027-01-01T10:00:00Z", "player_ids": ["{player}"], "planned_rpe": 1e30}',
        422,
    ),
    (
        "player",
        "POST",
        "/sessions/{session}/players/{player}/complete",
        '{"performed": [{"exercise_id": "{squat}", "load_kg": 1e400}]}',
        422,
    ),
    (
        "player",
        "POST",
        "/sessions/{session}/players/{player}/complete",
        '{"performed": [{"exercise_id": "{squat}", "reps": 99999999999999999999}]}',
        422,
    ),
    ("player", "POST", "/sessions/{session}/players/{player}/complete", '{"performed": [{"anything": "goes"}]}', 422),
    # the ends of the calendar
    ("player", "POST", "/rpe-logs", '{"session_date": "0001-01-01", "rpe": 5, "duration_minutes": 40}', 422),
    ("player", "POST", "/rpe-logs", '{"session_date": "9999-12-31", "rpe": 5, "duration_minutes": 40}', 422),
    ("player", "POST", "/wellness", '{"items": {hooper}, "wellness_date": "0001-01-01"}', 422),
    (
        "coach",
        "POST",
        "/sessions",
        '{"title": "x", "starts_at": "9999-12-31T23:59:59-12:00", "player_ids": ["{player}"]}',
        422,
    ),
    (
        "coach",
        "POST",
        "/sessions",
        '{"title": "x", "starts_at": "0001-01-01T00:00:00+14:00", "player_ids": ["{player}"]}',
        422,
    ),
    ("coach", "GET", "/sessions?from=0001-01-01&to=9999-12-31", None, 200),
    ("coach", "GET", "/templates?from=0001-01-01&to=9999-12-31", None, 200),
    ("coach", "GET", "/rpe-logs?from=0001-01-01&to=9999-12-31", None, 200),
    ("coach", "GET", "/wellness?from=9999-12-31", None, 200),
    ("coach", "GET", "/rpe-logs?limit=100000000000000000000", None, 422),
    ("coach", "GET", "/rpe-logs?player_id=not-a-uuid", None, 422),
    ("coach", "GET", "/rpe-logs/not-a-uuid", None, 422),
    ("coach", "GET", "/exercises?q=" + "x" * 81, None, 422),
]


def _fill(text: str, ids: dict[str, str]) -> str:
    values = {**ids, "yesterday": YESTERDAY, "hooper": HOOPER_JSON}
    names = "|".join(values)
    return re.sub(r"\{(" + names + r")\}", lambda m: values[m.group(1)], text)


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "status"), CASES, ids=[f"{c[1]} {c[2]} {c[3]}" for c in CASES]
)
def test_edge_inputs_are_a_clear_4xx(world, who, method, path, body, status):
    client, ids, club = world
    headers = {**club[who].headers, "content-type": "application/json"}
    content = _fill(body, ids).encode() if body is not None else None
    response = client.request(method, BASE + _fill(path, ids), content=content, headers=headers)
    assert response.status_code == status, response.text
    if status >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]
