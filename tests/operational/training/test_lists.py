"""Every list takes the filters people reach for, resolves the ids in them like any other id, and pages the same
way."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from tests.operational.training.helpers import BASE, HOOPER

TODAY = date.today()
DAYS = [TODAY - timedelta(days=n) for n in (1, 3)]


@pytest.fixture(scope="module")
def world(settings):
    """A club whose players of both teams logged two days of RPE and wellness and have a test result; the lists."""
    from fastapi.testclient import TestClient

    from operational.gateway import create_app
    from tests.factories import make_club
    from tests.messaging import drain_and_consume

    club = make_club(settings)
    drain_and_consume(settings, services=["training"])
    with TestClient(create_app(settings)) as gateway:
        yield gateway, club, _file(gateway, club)


def _file(gateway, club) -> dict[str, str]:
    for name in ("player", "other_player"):
        for day in DAYS:
            body = {"session_date": str(day), "rpe": 5, "duration_minutes": 30}
            assert gateway.post(f"{BASE}/rpe-logs", json=body, headers=club[name].headers).status_code == 201
            wellness = {"items": HOOPER, "wellness_date": str(day)}
            assert gateway.post(f"{BASE}/wellness", json=wellness, headers=club[name].headers).status_code == 201
    test = {"name": "Sprint", "unit": "s", "direction": "lower_is_better"}
    test_id = gateway.post(f"{BASE}/tests", json=test, headers=club["admin"].headers).json()["id"]
    for name, day in (("player", DAYS[0]), ("other_player", DAYS[1])):
        result = {"player_id": str(club[name].id), "value": 4.5, "tested_on": str(day)}
        assert (
            gateway.post(f"{BASE}/tests/{test_id}/results", json=result, headers=club["admin"].headers).status_code
            == 201
        )
    return {"rpe": "/rpe-logs", "wellness": "/wellness", "results": f"/tests/{test_id}/results"}


def _list(gateway, person, path, **params):
    response = gateway.get(BASE + path, params=params, headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("kind", ["rpe", "wellness", "results"])
def test_lists_filter_by_team_player_and_days(world, kind):
    gateway, club, filed = world
    admin, path = club["admin"], filed[kind]
    everyone = _list(gateway, admin, path)
    u16 = _list(gateway, admin, path, team_id=str(club.team_id))
    u18 = _list(gateway, admin, path, team_id=str(club.other_team_id))
    one_player = _list(gateway, admin, path, player_id=str(club["other_player"].id))
    one_day = _list(gateway, admin, path, **{"from": str(DAYS[0]), "to": str(DAYS[0])})

    assert u16["total"] + u18["total"] == everyone["total"] > 0
    assert {item["player_id"] for item in u16["items"]} == {str(club["player"].id)}
    assert {item["team_id"] for item in u18["items"]} == {str(club.other_team_id)}
    assert one_player["total"] == u18["total"]
    assert 0 < one_day["total"] < everyone["total"]
    page = _list(gateway, admin, path, limit=1, offset=1)
    assert (len(page["items"]), page["total"], page["limit"], page["offset"]) == (1, everyone["total"], 1, 1)


FILTER_CASES = [
    ("coach", "team_id", "other_team", 403),
    ("coach", "team_id", "unknown", 404),
    ("player", "team_id", "team", 200),
    ("coach", "player_id", "other_player", 403),
    ("player", "player_id", "teammate", 403),
    ("parent", "player_id", "player", 200),
    ("coach", "player_id", "unknown", 404),
]
# templates are the club's, not a player's: they filter by team, not by player
LISTS = [
    (kind, *case)
    for kind in ("rpe", "wellness", "results", "sessions", "templates")
    for case in FILTER_CASES
    if not (kind == "templates" and case[1] == "player_id")
]


@pytest.mark.parametrize(("kind", "who", "param", "value", "status"), LISTS)
def test_a_filter_naming_what_you_may_not_see_is_refused(world, kind, who, param, value, status):
    gateway, club, filed = world
    path = {**filed, "sessions": "/sessions", "templates": "/templates"}[kind]
    ids = {"other_team": club.other_team_id, "team": club.team_id, "unknown": uuid.uuid4()}
    ids |= {name: person.id for name, person in club.people.items()}
    response = gateway.get(BASE + path, params={param: str(ids[value])}, headers=club[who].headers)
    assert response.status_code == status, response.text
    if status != 200:
        assert response.json()["error"]["field"] == param


def test_a_player_filtering_by_their_team_sees_only_their_own(world):
    gateway, club, filed = world
    mine = _list(gateway, club["player"], filed["rpe"], team_id=str(club.team_id))
    assert {item["player_id"] for item in mine["items"]} == {str(club["player"].id)}


def test_the_exercise_library_filters_the_clubs_own(gateway, club):
    coach = club["coach"]
    created = gateway.post(
        f"{BASE}/exercises", json={"name": "Club drill", "category": "on_ice"}, headers=coach.headers
    )
    assert created.status_code == 201
    own = _list(gateway, coach, "/exercises", predefined="false")
    assert [e["name"] for e in own["items"]] == ["Club drill"]
    library = _list(gateway, coach, "/exercises", predefined="true", limit=1)
    assert library["total"] >= 100
    assert _list(gateway, coach, "/exercises", q="%")["total"] == 0  # a wildcard is searched for, not expanded
