"""Goals and development plans: staff of a player's team set them; the player and their guardian see their own,
teammates and other teams' staff do not; targets must make sense for what they measure."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from contracts import users
from operational.kit.db import libpq_url
from tests.factories import make_club
from tests.messaging import apply_events
from tests.operational.planning.helpers import BASE, outbox_types, roster


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


@pytest.fixture(scope="module")
def club(settings):
    club = make_club(settings)
    apply_events(settings, "planning", roster(club))  # the roster read model knows who plays where
    return club


def _squat_goal(club, **changes) -> dict:
    body = {
        "team_id": str(club.team_id),
        "player_id": str(club["player"].id),
        "title": "Back squat 100 kg",
        "metric": "test_result",
        "test_name": "1RM back squat",
        "target_value": 100,
        "starts_on": "2026-09-01",
        "due_on": "2027-01-31",
    }
    return body | changes


def test_a_players_goal_is_seen_by_the_player_their_guardian_and_their_staff_only(client, club, settings):
    goal = _ok(client.post(f"{BASE}/goals", json=_squat_goal(club), headers=club["coach"].headers), 201)
    team_goal = _squat_goal(club, player_id=None, title="Attendance 90 %", metric="attendance_rate", test_name=None)
    team_goal = _ok(
        client.post(f"{BASE}/goals", json=team_goal | {"target_value": 90}, headers=club["coach"].headers), 201
    )
    url = f"{BASE}/goals/{goal['id']}"
    for reader in ("player", "parent", "coach", "admin"):
        assert _ok(client.get(url, headers=club[reader].headers))["target_value"] == 100
    for outsider in ("teammate", "other_coach", "other_player", "medic"):
        assert client.get(url, headers=club[outsider].headers).status_code == 403, outsider
    mine = {g["id"] for g in _ok(client.get(f"{BASE}/goals", headers=club["player"].headers))["items"]}
    theirs = {g["id"] for g in _ok(client.get(f"{BASE}/goals", headers=club["teammate"].headers))["items"]}
    assert {goal["id"], team_goal["id"]} <= mine and team_goal["id"] in theirs and goal["id"] not in theirs
    assert client.patch(url, json={"target_value": 110}, headers=club["player"].headers).status_code == 403
    assert _ok(client.patch(url, json={"target_value": 110}, headers=club["coach"].headers))["target_value"] == 110
    assert outbox_types(settings, goal["id"]) == ["planning.goal.set", "planning.goal.set"]
    _ok(client.delete(url, headers=club["coach"].headers), 204)
    assert client.get(url, headers=club["player"].headers).status_code == 404


def test_targets_must_fit_what_the_goal_measures(client, club):
    coach = club["coach"].headers
    cases = [
        (_squat_goal(club, test_name=None), "names the test"),
        (_squat_goal(club, metric="attendance_rate", test_name=None, target_value=120), "between 0 and 100"),
        (_squat_goal(club, metric="weekly_load", test_name=None, target_value=2000), "range"),
        (_squat_goal(club, due_on="2026-08-01"), "due"),
    ]
    for body, words in cases:
        response = client.post(f"{BASE}/goals", json=body, headers=coach)
        assert response.status_code == 422 and words in response.json()["error"]["message"], response.text
    not_theirs = _squat_goal(club, player_id=str(club["other_player"].id))
    assert client.post(f"{BASE}/goals", json=not_theirs, headers=coach).status_code == 403
    wrong_team = client.post(f"{BASE}/goals", json=not_theirs, headers=club["admin"].headers)
    assert wrong_team.status_code == 422 and "does not play for" in wrong_team.json()["error"]["message"]
    load = _squat_goal(club, metric="weekly_load", test_name=None, target_value=1500, target_max_value=2500)
    goal = _ok(client.post(f"{BASE}/goals", json=load, headers=coach), 201)
    narrowed = client.patch(f"{BASE}/goals/{goal['id']}", json={"target_max_value": 1000}, headers=coach)
    assert narrowed.status_code == 422 and "range" in narrowed.json()["error"]["message"]
    other_team = client.post(f"{BASE}/goals", json=_squat_goal(club), headers=club["other_coach"].headers)
    assert other_team.status_code == 403


def test_a_development_plan_with_goals_and_reviews(client, club, settings):
    coach = club["coach"].headers
    body = {
        "player_id": str(club["player"].id),
        "team_id": str(club.team_id),
        "title": "2026-27",
        "focus_areas": ["Lower-body strength", "Backhand"],
        "starts_on": "2026-09-01",
    }
    plan = _ok(client.post(f"{BASE}/development-plans", json=body, headers=coach), 201)
    url = f"{BASE}/development-plans/{plan['id']}"
    _ok(client.post(f"{BASE}/goals", json=_squat_goal(club, development_plan_id=plan["id"]), headers=coach), 201)
    wrong_player = _squat_goal(club, player_id=str(club["teammate"].id), development_plan_id=plan["id"])
    assert client.post(f"{BASE}/goals", json=wrong_player, headers=coach).status_code == 422
    yesterday = str(date.today() - timedelta(days=1))
    review = {
        "reviewed_on": yesterday,
        "summary": "Squat up 8 kg; backhand still weak.",
        "next_steps": "Add wrist work",
    }
    written = _ok(client.post(f"{url}/reviews", json=review, headers=coach), 201)
    assert written["author_id"] == str(club["coach"].id)
    future = client.post(f"{url}/reviews", json=review | {"reviewed_on": "2199-01-01"}, headers=coach)
    assert future.status_code == 422
    assert client.post(f"{url}/reviews", json=review, headers=club["player"].headers).status_code == 403
    seen = _ok(client.get(url, headers=club["parent"].headers))
    assert [g["title"] for g in seen["goals"]] == ["Back squat 100 kg"] and len(seen["reviews"]) == 1
    for outsider in ("teammate", "other_coach"):
        assert client.get(url, headers=club[outsider].headers).status_code == 403
    assert _ok(client.get(f"{BASE}/development-plans", headers=club["teammate"].headers))["items"] == []
    listed = _ok(client.get(f"{BASE}/development-plans", headers=club["player"].headers))["items"]
    assert [p["id"] for p in listed] == [plan["id"]]
    assert outbox_types(settings, plan["id"]) == ["planning.development_plan.saved"]
    assert outbox_types(settings, written["id"]) == ["planning.development_plan.reviewed"]


def test_a_forgotten_player_leaves_no_goals_plans_or_reviews(client, club, settings):
    coach, teammate = club["coach"].headers, club["teammate"]
    goal = _ok(client.post(f"{BASE}/goals", json=_squat_goal(club, player_id=str(teammate.id)), headers=coach), 201)
    body = {"player_id": str(teammate.id), "team_id": str(club.team_id), "title": "Growth", "focus_areas": ["Speed"],
            "starts_on": "2026-09-01"}  # fmt: skip
    plan = _ok(client.post(f"{BASE}/development-plans", json=body, headers=coach), 201)
    review = {"reviewed_on": str(date.today() - timedelta(days=1)), "summary": "Quick feet; shy in the corners."}
    _ok(client.post(f"{BASE}/development-plans/{plan['id']}/reviews", json=review, headers=coach), 201)
    forgotten = users.UserAnonymizedEvent(
        event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), org_id=club.org_id,
        data=users.UserAnonymized(user_id=teammate.id),
    )  # fmt: skip

    apply_events(settings, "planning", [forgotten])

    assert client.get(f"{BASE}/goals/{goal['id']}", headers=coach).status_code == 404
    assert client.get(f"{BASE}/development-plans/{plan['id']}", headers=coach).status_code == 404
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        left = conn.execute(
            "SELECT count(*) FROM planning.development_reviews WHERE development_plan_id = %s", (plan["id"],)
        ).fetchone()[0]
    assert left == 0
