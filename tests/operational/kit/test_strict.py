"""Every endpoint reads requests the same strict way: unknown query parameters, malformed JSON and NUL characters are
clear 422s in the one error shape, never a silent default or a 500."""

from __future__ import annotations


def test_an_unknown_query_parameter_is_refused_and_names_the_ones_accepted(gateway, club):
    coach = club["coach"]

    response = gateway.get("/api/v1/training/rpe-logs", params={"team": str(club.team_id)}, headers=coach.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_parameter" and error["field"] == "team"
    assert "player_id" in error["message"] and "limit" in error["message"]


def test_a_typo_in_a_flag_does_not_do_the_real_thing(gateway, club):
    coach = club["coach"]
    body = {"kind": "practice", "title": "Skate", "team_id": str(club.team_id), "starts_at": "2027-01-05T17:00:00Z"}

    response = gateway.post("/api/v1/calendar/events", params={"dryrun": "true"}, json=body, headers=coach.headers)

    assert response.status_code == 422
    listed = gateway.get(
        "/api/v1/calendar/occurrences",
        params={"from": "2027-01-01T00:00:00Z", "to": "2027-01-10T00:00:00Z"},
        headers=coach.headers,
    )
    assert listed.json()["total"] == 0


def test_malformed_json_says_so_without_pointing_at_a_character_index(gateway, club):
    player = club["player"]

    response = gateway.post(
        "/api/v1/training/rpe-logs",
        content=b'{"rpe": 6, "duration_minutes": ',
        headers={**player.headers, "content-type": "application/json"},
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_json" and error["field"] is None
    assert "not valid JSON" in error["message"]


def test_nul_characters_are_refused_in_bodies_and_queries(gateway, club):
    coach = club["coach"]

    in_body = gateway.post(
        "/api/v1/training/tests",
        content=b'{"name": "Sprint\\u0000", "unit": "s", "direction": "lower_is_better"}',
        headers={**coach.headers, "content-type": "application/json"},
    )
    in_query = gateway.get("/api/v1/training/exercises?q=bench%00press", headers=coach.headers)

    assert in_body.status_code == 422 and "NUL" in in_body.json()["error"]["message"]
    assert in_query.status_code == 422 and "NUL" in in_query.json()["error"]["message"]


def test_an_offset_beyond_any_list_is_a_clear_422_not_a_database_error(gateway, club):
    coach = club["coach"]

    response = gateway.get("/api/v1/training/rpe-logs", params={"offset": 2**63}, headers=coach.headers)

    assert response.status_code == 422 and response.json()["error"]["field"] == "offset"
