"""The RPE endpoint: what a player and a coach see, and every way the input can be wrong."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

TODAY = date.today()


def _log(gateway, person, **overrides):
    body = {"session_date": (TODAY - timedelta(days=1)).isoformat(), "rpe": 7, "duration_minutes": 60}
    body.update(overrides)
    return gateway.post("/api/v1/training/rpe-logs", json=body, headers=person.headers)


def test_player_logs_session_rpe_and_load_is_rpe_times_minutes(gateway, club):
    response = _log(gateway, club["player"], rpe=6, duration_minutes=75)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["session_rpe_load_au"] == 450
    assert body["player_id"] == str(club["player"].id)
    assert body["team_id"] == str(club.team_id)
    assert response.headers["x-correlation-id"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rpe": 11}, "rpe"),
        ({"rpe": -1}, "rpe"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"session_date": "2026-13-45"}, "session_date"),
        ({"session_date": (TODAY + timedelta(days=3)).isoformat()}, "session_date"),
        ({"is_admin": True}, "is_admin"),
        ({"org_id": "00000000-0000-0000-0000-000000000000"}, "org_id"),
    ],
)
def test_bad_input_is_422_with_the_shared_error_shape(gateway, club, overrides, field):
    response = _log(gateway, club["player"], **overrides)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field
    assert error["message"]
    assert error["code"] in {"invalid_value", "unknown_field"}


def test_missing_field_names_it(gateway, club):
    response = gateway.post(
        "/api/v1/training/rpe-logs", json={"session_date": str(TODAY)}, headers=club["player"].headers
    )
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["error"]["details"]} == {"rpe", "duration_minutes"}


def test_player_cannot_log_for_someone_else(gateway, club, sync_read_models):
    sync_read_models()  # training knows the teammate, so naming them is forbidden rather than unknown
    response = _log(gateway, club["player"], player_id=str(club["teammate"].id))
    assert response.status_code == 403
    assert response.json()["error"]["field"] == "player_id"


def test_team_the_player_is_not_in_is_refused(gateway, club, sync_read_models):
    sync_read_models()
    response = _log(gateway, club["player"], team_id=str(club.other_team_id))
    assert response.status_code == 422 and response.json()["error"]["field"] == "team_id"


def test_visibility_of_logs(gateway, club, settings):
    from tests.factories import make_club

    log_id = _log(gateway, club["player"]).json()["id"]
    url = f"/api/v1/training/rpe-logs/{log_id}"
    assert gateway.get(url, headers=club["player"].headers).status_code == 200
    assert gateway.get(url, headers=club["coach"].headers).status_code == 200
    assert gateway.get(url, headers=club["admin"].headers).status_code == 200
    # a teammate and the coach of another team may not; anyone from another club learns nothing, not even that it exists
    assert gateway.get(url, headers=club["teammate"].headers).status_code == 403
    assert gateway.get(url, headers=club["other_coach"].headers).status_code == 403
    stranger = make_club(settings)["admin"]
    assert gateway.get(url, headers=stranger.headers).status_code == 404

    mine = gateway.get("/api/v1/training/rpe-logs", headers=club["teammate"].headers).json()
    assert mine["total"] == 0
    coach_view = gateway.get("/api/v1/training/rpe-logs", headers=club["coach"].headers).json()
    assert [item["id"] for item in coach_view["items"]] == [log_id]


def test_list_is_paginated_and_filtered_by_date(gateway, club):
    for days_ago in range(1, 6):
        _log(gateway, club["player"], session_date=(TODAY - timedelta(days=days_ago)).isoformat())
    headers = club["player"].headers
    page = gateway.get("/api/v1/training/rpe-logs", params={"limit": 2, "offset": 0}, headers=headers).json()
    assert (page["total"], len(page["items"])) == (5, 2)
    since = (TODAY - timedelta(days=2)).isoformat()
    recent = gateway.get("/api/v1/training/rpe-logs", params={"from": since}, headers=headers).json()
    assert recent["total"] == 2
    backwards = gateway.get(
        "/api/v1/training/rpe-logs", params={"from": TODAY.isoformat(), "to": since}, headers=headers
    )
    assert backwards.status_code == 422
