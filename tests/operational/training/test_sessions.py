"""Planned sessions: a team plans for its roster, sessions and templates are listed, the team's staff mark players'
progress once the session has begun, and an RPE log names a session only on its day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_club
from tests.operational.training.helpers import BASE, membership

NOW = datetime.now(UTC)


def _plan(gateway, person, **body):
    body = {"title": "Gym", "starts_at": (NOW - timedelta(hours=1)).isoformat(), **body}
    return gateway.post(f"{BASE}/sessions", json=body, headers=person.headers)


@pytest.fixture
def team_club(settings, as_, sync_read_models):
    """A club whose rosters training knows, with a physical trainer of U16 (spare1)."""
    club = make_club(settings, spares=1)
    sync_read_models(membership(club, club["spare1"].id, club.team_id, "physical_trainer"))
    club.people["trainer"] = as_(
        club["spare1"], roles=frozenset({"physical_trainer"}), team_ids=frozenset({club.team_id})
    )
    return club


def test_a_team_alone_plans_for_its_roster(gateway, team_club):
    club = team_club
    planned = _plan(gateway, club["coach"], team_id=str(club.team_id))
    assert planned.status_code == 201, planned.text
    assert {a["player_id"] for a in planned.json()["assignments"]} == {str(club["player"].id), str(club["teammate"].id)}

    mixed = _plan(gateway, club["admin"], team_id=str(club.team_id), player_ids=[str(club["other_player"].id)])
    assert mixed.status_code == 422 and mixed.json()["error"]["field"] == "player_ids.0"
    nobody = gateway.post(
        f"{BASE}/sessions", json={"title": "x", "starts_at": NOW.isoformat()}, headers=club["coach"].headers
    )
    assert nobody.status_code == 422


def test_the_teams_staff_mark_progress_once_the_session_has_begun(gateway, team_club):
    club = team_club
    session_id = _plan(gateway, club["admin"], team_id=str(club.team_id)).json()["id"]
    url = f"{BASE}/sessions/{session_id}/players/{{player}}/{{step}}"

    def mark(person, player, step):
        return gateway.post(url.format(player=club[player].id, step=step), headers=club[person].headers)

    assert mark("trainer", "teammate", "start").status_code == 204
    assert mark("trainer", "teammate", "complete").status_code == 204
    assert mark("coach", "player", "start").status_code == 204
    assert mark("player", "player", "complete").status_code == 204
    assert mark("teammate", "player", "complete").status_code == 403
    assert mark("other_coach", "player", "start").status_code == 403
    assert mark("trainer", "other_player", "start").status_code == 404
    statuses = {
        a["player_id"]: a["status"]
        for a in gateway.get(f"{BASE}/sessions/{session_id}", headers=club["trainer"].headers).json()["assignments"]
    }
    assert statuses == {str(club["player"].id): "completed", str(club["teammate"].id): "completed"}


def test_nothing_is_marked_before_the_session_starts(gateway, team_club):
    club = team_club
    tomorrow = (NOW + timedelta(days=1)).isoformat()
    session_id = _plan(gateway, club["coach"], team_id=str(club.team_id), starts_at=tomorrow).json()["id"]
    for step in ("start", "complete"):
        early = gateway.post(
            f"{BASE}/sessions/{session_id}/players/{club['player'].id}/{step}", headers=club["player"].headers
        )
        assert early.status_code == 409 and "once it has begun" in early.json()["error"]["message"]
    view = gateway.get(f"{BASE}/sessions/{session_id}", headers=club["player"].headers).json()
    assert view["assignments"][0]["status"] == "assigned"


def test_an_rpe_log_names_a_session_only_on_its_day(gateway, team_club):
    club = team_club
    player = club["player"]
    session = _plan(gateway, club["coach"], team_id=str(club.team_id)).json()
    session_day = datetime.fromisoformat(session["starts_at"]).astimezone(UTC).date()  # the club's zone is UTC
    other_day = session_day - timedelta(days=1)

    wrong_day = gateway.post(
        f"{BASE}/rpe-logs",
        json={"session_date": str(other_day), "rpe": 6, "duration_minutes": 60, "session_id": session["id"]},
        headers=player.headers,
    )
    defaulted = gateway.post(
        f"{BASE}/rpe-logs", json={"rpe": 6, "duration_minutes": 60, "session_id": session["id"]}, headers=player.headers
    )

    assert wrong_day.status_code == 422 and wrong_day.json()["error"]["field"] == "session_date"
    assert str(session_day) in wrong_day.json()["error"]["message"]
    assert defaulted.status_code == 201 and defaulted.json()["session_date"] == str(session_day)
    assert defaulted.json()["session_id"] == session["id"]

    assert (
        gateway.post(f"{BASE}/sessions/{session['id']}/cancel", json={}, headers=club["coach"].headers).status_code
        == 204
    )
    cancelled = gateway.post(
        f"{BASE}/rpe-logs",
        json={"rpe": 3, "duration_minutes": 20, "session_id": session["id"]},
        headers=club["teammate"].headers,
    )
    assert cancelled.status_code == 409


def test_sessions_and_templates_are_listed_with_their_filters(gateway, team_club):
    club = team_club
    coach = club["coach"]
    squat = gateway.get(f"{BASE}/exercises", params={"q": "Back squat"}, headers=coach.headers).json()["items"][0]
    template = gateway.post(
        f"{BASE}/templates",
        json={"name": "Legs", "blocks": [{"name": "Main", "exercises": [{"exercise_id": squat["id"], "reps": 5}]}]},
        headers=coach.headers,
    ).json()
    gateway.post(
        f"{BASE}/templates",
        json={
            "name": "Arms",
            "blocks": [{"name": "Main", "exercises": [{"exercise_id": squat["id"], "sets": 2, "reps": 8}]}],
        },
        headers=coach.headers,
    )
    next_week = NOW + timedelta(days=7)
    today_id = _plan(gateway, coach, team_id=str(club.team_id), template_id=template["id"]).json()["id"]
    later_id = _plan(gateway, coach, team_id=str(club.team_id), starts_at=next_week.isoformat()).json()["id"]
    _plan(gateway, club["admin"], team_id=str(club.other_team_id))

    def ids(path, person=coach, **params):
        response = gateway.get(BASE + path, params=params, headers=person.headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids("/sessions") == [today_id, later_id]
    assert ids("/sessions", team_id=str(club.team_id), **{"from": str(next_week.date())}) == [later_id]
    assert ids("/sessions", to=str(NOW.date())) == [today_id]
    assert ids("/sessions", person=club["player"]) == [today_id, later_id]
    assert len(ids("/sessions", person=club["admin"])) == 3
    assert len(ids("/sessions", person=club["admin"], player_id=str(club["other_player"].id))) == 1
    assert (
        gateway.get(f"{BASE}/sessions", params={"team_id": str(club.other_team_id)}, headers=coach.headers).status_code
        == 403
    )

    assert ids("/templates", q="leg") == [template["id"]]
    assert len(ids("/templates", exercise_id=squat["id"])) == 2
    assert ids("/templates", team_id=str(club.team_id)) == [template["id"]]
    assert len(ids("/templates", **{"from": str(date.today() - timedelta(days=1))})) == 2
    assert ids("/templates", to=str(date.today() - timedelta(days=2))) == []


def test_a_session_planned_for_a_calendar_event_names_one_of_the_teams_own(gateway, team_club, sync_read_models):
    club = team_club
    practice = {
        "kind": "practice",
        "title": "Ice",
        "starts_at": (NOW + timedelta(days=2)).isoformat(),
        "duration_minutes": 60,
    }
    ours = gateway.post(
        "/api/v1/calendar/events", json={**practice, "team_id": str(club.team_id)}, headers=club["coach"].headers
    )
    theirs = gateway.post(
        "/api/v1/calendar/events",
        json={**practice, "team_id": str(club.other_team_id)},
        headers=club["other_coach"].headers,
    )
    assert ours.status_code == theirs.status_code == 201, (ours.text, theirs.text)
    sync_read_models()  # training learns of the club's calendar from calendar events

    planned = _plan(gateway, club["coach"], team_id=str(club.team_id), calendar_event_id=ours.json()["event"]["id"])
    refused = _plan(gateway, club["coach"], team_id=str(club.team_id), calendar_event_id=theirs.json()["event"]["id"])
    unknown = _plan(gateway, club["coach"], team_id=str(club.team_id), calendar_event_id=str(club.org_id))

    assert planned.status_code == 201, planned.text
    assert planned.json()["calendar_event_id"] == ours.json()["event"]["id"]
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "calendar_event_id"
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "calendar_event_id"
