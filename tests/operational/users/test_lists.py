"""The filters people reach for, on every list of the users service; one page shape everywhere."""

from __future__ import annotations

import pytest

from tests.factories import make_club


@pytest.fixture(scope="module")
def club(settings):
    return make_club(settings, spares=2)


def _ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body.keys() == {"items", "total", "limit", "offset"}
    return {item["id"] for item in body["items"]}


def test_people_by_team_role_name_and_state(gateway, club):
    admin = club["admin"].headers
    ids = {name: str(person.id) for name, person in club.people.items()}
    assert _ids(gateway.get("/api/v1/users", params={"role": "coach"}, headers=admin)) == {
        ids["coach"],
        ids["other_coach"],
    }
    assert _ids(gateway.get("/api/v1/users", params={"role": "medical_staff"}, headers=admin)) == {ids["medic"]}
    assert _ids(
        gateway.get("/api/v1/users", params={"team_id": str(club.team_id), "role": "player"}, headers=admin)
    ) == {ids["player"], ids["teammate"]}
    assert _ids(gateway.get("/api/v1/users", params={"q": "Other Pl"}, headers=admin)) == {ids["other_player"]}
    assert gateway.post(f"/api/v1/users/{ids['spare1']}/deactivate", json={}, headers=admin).status_code == 200
    assert _ids(gateway.get("/api/v1/users", params={"active": "false"}, headers=admin)) == {ids["spare1"]}
    assert ids["spare1"] not in _ids(gateway.get("/api/v1/users", headers=admin))
    assert ids["spare1"] not in _ids(gateway.get("/api/v1/users", params={"active": "true"}, headers=admin))
    refused = gateway.get("/api/v1/users", params={"active": "false"}, headers=club["coach"].headers)
    assert refused.status_code == 403


def test_team_members_by_role_and_name(gateway, club):
    coach = club["coach"].headers
    url = f"/api/v1/teams/{club.team_id}/members"
    assert _ids(gateway.get(url, params={"role": "parent"}, headers=coach)) == {str(club["parent"].id)}
    assert _ids(gateway.get(url, params={"q": "teammate"}, headers=coach)) == {str(club["teammate"].id)}


def test_teams_by_name_season_and_age_group(gateway, club):
    admin = club["admin"].headers
    both = {str(club.team_id), str(club.other_team_id)}
    assert _ids(gateway.get("/api/v1/teams", params={"season": "2026-27"}, headers=admin)) == both
    assert _ids(gateway.get("/api/v1/teams", params={"season": "2025-26"}, headers=admin)) == set()
    assert _ids(gateway.get("/api/v1/teams", params={"q": "u18"}, headers=admin)) == {str(club.other_team_id)}
    assert _ids(gateway.get("/api/v1/teams", params={"age_group": "u16"}, headers=admin)) == {str(club.team_id)}
    # a player sees their own team only, whatever the filter
    assert _ids(gateway.get("/api/v1/teams", params={"q": "U"}, headers=club["player"].headers)) == {str(club.team_id)}


@pytest.mark.parametrize(
    "url", ["/api/v1/users", "/api/v1/teams", "/api/v1/users/invitations", "/api/v1/teams/{team}/members"]
)
def test_a_mistyped_filter_is_refused_not_ignored(gateway, club, url):
    answer = gateway.get(url.format(team=club.team_id), params={"teamid": "x"}, headers=club["admin"].headers)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_parameter"
