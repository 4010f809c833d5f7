"""Every id a client sends to training is resolved in the caller's club and checked against the caller's right to it.

One table tries every path, query and body id of club A as someone of club B (404: nothing is revealed) and as
people of club A who may not have it (403). Then the reproductions: another club's admin planning for our player
and reading their medical note, an RPE log naming another club's session, sessions without a team, and the live
channel.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.factories import make_club
from tests.messaging import drain_and_consume
from tests.operational.training.helpers import BASE, HOOPER, availability

YESTERDAY = str(date.today() - timedelta(days=1))
TOMORROW = (datetime.now(UTC) + timedelta(days=1)).isoformat()
NOTE = "Knee: easy skating only"


def _ok(response, status=201):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _template(client, person, exercise_id):
    body = {"name": "Plyo", "blocks": [{"name": "Jumps", "exercises": [{"exercise_id": exercise_id, "reps": 5}]}]}
    return _ok(client.post(f"{BASE}/templates", json=body, headers=person.headers))["id"]


@pytest.fixture(scope="module")
def world(settings):
    """Clubs A and B with one of everything training keeps, and the ids the table names."""
    from operational.gateway import create_app

    a, b = make_club(settings), make_club(settings)
    with TestClient(create_app(settings)) as client:
        drain_and_consume(
            settings,
            availability(a, a["player"].id, restrictions=["no_high_intensity"], note=NOTE),
            services=["training"],
        )
        coach, player = a["coach"], a["player"]
        box_jump = client.get(f"{BASE}/exercises", params={"q": "Box jump"}, headers=coach.headers).json()["items"][0]
        ids = {"A.team": str(a.team_id), "A.other_team": str(a.other_team_id), "B.team": str(b.team_id)}
        ids |= {f"A.{n}": str(p.id) for n, p in a.people.items()} | {f"B.{n}": str(p.id) for n, p in b.people.items()}
        ids["A.template"] = _template(client, coach, box_jump["id"])
        ids["B.template"] = _template(client, b["coach"], box_jump["id"])
        ids["A.exercise"] = _ok(
            client.post(f"{BASE}/exercises", json={"name": "A drill", "category": "on_ice"}, headers=coach.headers)
        )["id"]
        planned = {"title": "Gym", "starts_at": TOMORROW, "team_id": str(a.team_id), "template_id": ids["A.template"]}
        ids["A.session"] = _ok(client.post(f"{BASE}/sessions", json=planned, headers=coach.headers))["id"]
        teamless = {"title": "Extra", "starts_at": TOMORROW, "player_ids": [str(player.id)]}
        ids["A.teamless"] = _ok(client.post(f"{BASE}/sessions", json=teamless, headers=coach.headers))["id"]
        rpe = {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 45}
        ids["A.rpe_log"] = _ok(client.post(f"{BASE}/rpe-logs", json=rpe, headers=player.headers))["id"]
        ids["A.wellness"] = _ok(client.post(f"{BASE}/wellness", json={"items": HOOPER}, headers=player.headers))["id"]
        sprint = {"name": "30 m sprint", "unit": "s", "direction": "lower_is_better"}
        ids["A.test"] = _ok(client.post(f"{BASE}/tests", json=sprint, headers=coach.headers))["id"]
        ids["B.test"] = _ok(client.post(f"{BASE}/tests", json=sprint, headers=b["coach"].headers))["id"]
        result = {"player_id": str(player.id), "value": 4.4, "tested_on": YESTERDAY}
        ids["A.result"] = _ok(client.post(f"{BASE}/tests/{ids['A.test']}/results", json=result, headers=coach.headers))[
            "id"
        ]
        people = {f"A.{n}": p for n, p in a.people.items()} | {f"B.{n}": p for n, p in b.people.items()}
        yield client, ids, people


# (actor, method, path, body, expected status, expected error field or None)
TABLE = [
    # another club's ids in paths: not found
    ("B.admin", "GET", "/sessions/{A.session}", None, 404, None),
    ("B.coach", "POST", "/sessions/{A.session}/cancel", {}, 404, None),
    ("B.player", "POST", "/sessions/{A.session}/players/{B.player}/start", None, 404, None),
    ("B.admin", "GET", "/rpe-logs/{A.rpe_log}", None, 404, None),
    ("B.admin", "PATCH", "/rpe-logs/{A.rpe_log}", {"rpe": 9}, 404, None),
    ("B.admin", "DELETE", "/rpe-logs/{A.rpe_log}", None, 404, None),
    ("B.admin", "GET", "/wellness/{A.wellness}", None, 404, None),
    ("B.coach", "PATCH", "/wellness/{A.wellness}", {"sleep_hours": 3}, 404, None),
    ("B.coach", "DELETE", "/wellness/{A.wellness}", None, 404, None),
    ("B.coach", "GET", "/templates/{A.template}", None, 404, None),
    ("B.coach", "PATCH", "/templates/{A.template}", {"name": "Ours"}, 404, None),
    ("B.coach", "GET", "/exercises/{A.exercise}", None, 404, None),
    ("B.coach", "PATCH", "/exercises/{A.exercise}", {"name": "Ours"}, 404, None),
    ("B.admin", "GET", "/tests/{A.test}/results", None, 404, None),
    ("B.admin", "GET", "/tests/{A.test}/results/{A.result}", None, 404, None),
    ("B.admin", "GET", "/tests/{B.test}/results/{A.result}", None, 404, None),
    ("B.admin", "PUT", "/teams/{A.team}/settings", {"wellness_instrument": "mclean"}, 404, None),
    # another club's ids in queries: not found
    ("B.admin", "GET", "/rpe-logs?team_id={A.team}", None, 404, "team_id"),
    ("B.admin", "GET", "/rpe-logs?player_id={A.player}", None, 404, "player_id"),
    ("B.admin", "GET", "/wellness?player_id={A.player}", None, 404, "player_id"),
    ("B.admin", "GET", "/sessions?team_id={A.team}", None, 404, "team_id"),
    ("B.admin", "GET", "/templates?exercise_id={A.exercise}", None, 404, "exercise_id"),
    ("B.admin", "GET", "/tests/{B.test}/results?player_id={A.player}", None, 404, "player_id"),
    # another club's ids in bodies: not found, and nothing stored
    (
        "B.admin",
        "POST",
        "/sessions",
        {"title": "x", "starts_at": TOMORROW, "player_ids": ["{A.player}"]},
        404,
        "player_ids.0",
    ),
    (
        "B.admin",
        "POST",
        "/sessions",
        {"title": "x", "starts_at": TOMORROW, "template_id": "{B.template}", "player_ids": ["{A.player}"]},
        404,
        "player_ids.0",
    ),
    ("B.admin", "POST", "/sessions", {"title": "x", "starts_at": TOMORROW, "team_id": "{A.team}"}, 404, "team_id"),
    (
        "B.coach",
        "POST",
        "/sessions",
        {"title": "x", "starts_at": TOMORROW, "template_id": "{A.template}", "player_ids": ["{B.player}"]},
        404,
        "template_id",
    ),
    (
        "B.coach",
        "POST",
        "/templates",
        {"name": "x!", "blocks": [{"name": "b", "exercises": [{"exercise_id": "{A.exercise}", "reps": 5}]}]},
        404,
        "blocks.0.exercises.0.exercise_id",
    ),
    (
        "B.player",
        "POST",
        "/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 30, "session_id": "{A.session}"},
        404,
        "session_id",
    ),
    (
        "B.player",
        "POST",
        "/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 31, "team_id": "{A.team}"},
        404,
        "team_id",
    ),
    ("B.player", "POST", "/wellness", {"items": HOOPER, "team_id": "{A.team}"}, 404, "team_id"),
    (
        "B.coach",
        "POST",
        "/tests/{B.test}/results",
        {"player_id": "{A.player}", "value": 4.0, "tested_on": YESTERDAY},
        404,
        "player_id",
    ),
    (
        "B.admin",
        "POST",
        "/tests/{A.test}/results",
        {"player_id": "{B.player}", "value": 4.0, "tested_on": YESTERDAY},
        404,
        None,
    ),
    # the caller's club, but not theirs to touch: forbidden
    ("A.teammate", "GET", "/rpe-logs/{A.rpe_log}", None, 403, None),
    ("A.other_coach", "PATCH", "/rpe-logs/{A.rpe_log}", {"rpe": 9}, 403, None),
    ("A.admin", "DELETE", "/rpe-logs/{A.rpe_log}", None, 403, None),
    ("A.teammate", "GET", "/wellness/{A.wellness}", None, 403, None),
    ("A.other_player", "GET", "/tests/{A.test}/results/{A.result}", None, 403, None),
    ("A.other_coach", "GET", "/sessions/{A.session}", None, 403, None),
    ("A.other_coach", "GET", "/sessions/{A.teamless}", None, 403, None),
    ("A.teammate", "GET", "/sessions/{A.teamless}", None, 403, None),
    ("A.other_coach", "POST", "/sessions/{A.session}/cancel", {}, 403, None),
    ("A.player", "POST", "/sessions/{A.session}/cancel", {}, 403, None),
    ("A.coach", "GET", "/rpe-logs?team_id={A.other_team}", None, 403, "team_id"),
    ("A.player", "GET", "/wellness?player_id={A.teammate}", None, 403, "player_id"),
    ("A.other_coach", "GET", "/sessions?player_id={A.player}", None, 403, "player_id"),
    ("A.other_coach", "PUT", "/teams/{A.team}/settings", {"wellness_instrument": "mclean"}, 403, None),
    ("A.player", "PATCH", "/templates/{A.template}", {"name": "Mine"}, 403, None),
    (
        "A.other_coach",
        "POST",
        "/sessions",
        {"title": "x", "starts_at": TOMORROW, "player_ids": ["{A.player}"]},
        403,
        "player_ids.0",
    ),
    (
        "A.player",
        "POST",
        "/rpe-logs",
        {"session_date": YESTERDAY, "rpe": 5, "duration_minutes": 30, "session_id": "{A.teamless}"},
        422,
        "session_date",
    ),  # tomorrow's session: the day must be the session's
    (
        "A.teammate",
        "POST",
        "/rpe-logs",
        {"rpe": 5, "duration_minutes": 30, "session_id": "{A.teamless}"},
        403,
        "session_id",
    ),
    # what is allowed
    ("A.player", "GET", "/sessions/{A.teamless}", None, 200, None),
    ("A.admin", "GET", "/sessions/{A.teamless}", None, 200, None),
    ("A.coach", "GET", "/rpe-logs?team_id={A.team}", None, 200, None),
    ("A.parent", "GET", "/wellness?player_id={A.player}", None, 200, None),
    ("A.admin", "GET", "/tests/{A.test}/results/{A.result}", None, 200, None),
]


def _fill(template: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([A-Za-z_.]+)\}", lambda m: ids[m.group(1)], template)


@pytest.mark.parametrize(
    ("actor", "method", "path", "body", "expected", "field"),
    TABLE,
    ids=[f"{actor} {method} {path} -> {expected}" for actor, method, path, _b, expected, _f in TABLE],
)
def test_every_id_is_resolved_in_the_callers_club(world, actor, method, path, body, expected, field):
    client, ids, people = world
    kwargs = {"json": json.loads(_fill(json.dumps(body), ids))} if body is not None else {}
    response = client.request(method, BASE + _fill(path, ids), headers=people[actor].headers, **kwargs)
    assert response.status_code == expected, response.text
    if field is not None:
        assert response.json()["error"]["field"] == field


def test_another_clubs_admin_cannot_plan_for_our_player_nor_read_their_note(world):
    client, ids, people = world
    body = {
        "title": "x",
        "starts_at": "2027-01-01T10:00:00Z",
        "template_id": ids["B.template"],
        "player_ids": [ids["A.player"]],
    }
    refused = client.post(f"{BASE}/sessions", json=body, headers=people["B.admin"].headers)
    assert refused.status_code == 404 and NOTE not in refused.text
    mine = client.get(f"{BASE}/sessions", headers=people["B.admin"].headers).json()
    assert all(s["team_id"] != ids["A.team"] for s in mine["items"])


@pytest.mark.parametrize(
    ("reader", "sees_the_note"),
    [("A.coach", True), ("A.admin", False), ("A.player", False), ("A.parent", False)],
)
def test_the_medical_note_is_for_staff_of_the_players_own_team_only(world, reader, sees_the_note):
    client, ids, people = world
    response = client.get(f"{BASE}/sessions/{ids['A.session']}", headers=people[reader].headers)
    assert response.status_code == 200, response.text
    [assignment] = [a for a in response.json()["assignments"] if a["player_id"] == ids["A.player"]]
    assert assignment["restricted"] is True  # the coded restriction flags the box jumps for everyone who sees it
    assert any("unsuitable under no_high_intensity" in r for r in assignment["restriction_reasons"])
    assert (NOTE in response.text) is sees_the_note


def test_staff_of_another_team_overseeing_a_teamless_session_do_not_read_our_players_note(world):
    client, ids, people = world
    # a session without a team, for a U16 player and a U18 player: the U18 coach oversees it through their player
    players = [ids["A.player"], ids["A.other_player"]]
    body = {"title": "Mixed", "starts_at": TOMORROW, "template_id": ids["A.template"], "player_ids": players}
    session_id = _ok(client.post(f"{BASE}/sessions", json=body, headers=people["A.admin"].headers))["id"]
    seen = client.get(f"{BASE}/sessions/{session_id}", headers=people["A.other_coach"].headers)
    assert seen.status_code == 200 and len(seen.json()["assignments"]) == 2
    assert NOTE not in seen.text
    assert NOTE in client.get(f"{BASE}/sessions/{session_id}", headers=people["A.coach"].headers).text
    assert client.get(f"{BASE}/sessions/{session_id}", headers=people["A.teammate"].headers).status_code == 403


def test_a_teamless_session_is_listed_for_who_may_see_it(world):
    client, ids, people = world

    def listed(actor):
        page = client.get(f"{BASE}/sessions", params={"limit": 500}, headers=people[actor].headers).json()
        return {s["id"] for s in page["items"]}

    assert ids["A.teamless"] in listed("A.coach")  # its creator, staff of its player's team
    assert ids["A.teamless"] in listed("A.admin")
    assert ids["A.teamless"] in listed("A.player") and ids["A.teamless"] in listed("A.parent")
    assert ids["A.teamless"] not in listed("A.other_coach")
    assert ids["A.teamless"] not in listed("A.teammate")
    assert ids["A.teamless"] not in listed("B.admin")


def _refused_live(client, session_id, token) -> int:
    url = f"{BASE}/sessions/{session_id}/live?access_token={token}"
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(url) as live:  # noqa: PT012
        live.receive_json()
    return refused.value.code


@pytest.mark.parametrize(
    ("watcher", "session", "close_code"),
    [
        ("B.admin", "A.session", 4404),
        ("B.coach", "A.teamless", 4404),
        ("A.other_coach", "A.teamless", 4403),
        ("A.teammate", "A.session", 4403),
        ("A.player", "A.session", 4403),  # a player reads their own part, but does not watch everyone's
    ],
)
def test_the_live_channel_applies_the_session_rules(world, watcher, session, close_code):
    client, ids, people = world
    assert _refused_live(client, ids[session], people[watcher].token) == close_code


def test_an_rpe_log_naming_another_clubs_session_is_refused_and_never_reaches_its_watchers(world):
    client, ids, people = world
    coach, player = people["A.coach"], people["A.player"]
    today_session = {"title": "Now", "starts_at": datetime.now(UTC).isoformat(), "player_ids": [ids["A.player"]]}
    session_id = _ok(client.post(f"{BASE}/sessions", json=today_session, headers=coach.headers))["id"]
    with client.websocket_connect(f"{BASE}/sessions/{session_id}/live?access_token={coach.token}") as live:
        assert live.receive_json()["type"] == "snapshot"
        foreign = {"rpe": 9, "duration_minutes": 90, "session_id": session_id}
        refused = client.post(f"{BASE}/rpe-logs", json=foreign, headers=people["B.player"].headers)
        assert refused.status_code == 404 and refused.json()["error"]["field"] == "session_id"
        logged = client.post(f"{BASE}/rpe-logs", json={**foreign, "rpe": 4}, headers=player.headers)
        assert logged.status_code == 201, logged.text
        # the first update the watcher gets is our player's: nothing of the refused log came before it
        assert live.receive_json() == {"type": "update", "player_id": ids["A.player"], "rpe_logged": True, "rpe": 4}
