"""GET /stats/me: whose statistics the caller may read, as the dashboards build their navigation from it."""

from __future__ import annotations

import uuid

from tests.operational.stats.snapshots import person_with

ME = "/api/v1/stats/me"


def _me(stats, person) -> dict:
    response = stats.get(ME, headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_each_role_is_told_whom_it_may_read_with_names(stats, warehouse, stats_club):
    other_club_team = uuid.uuid4()
    warehouse.add_team(uuid.uuid4(), other_club_team, "Rival U16")
    warehouse.publish()
    club = stats_club
    team, other_team = {"team_id": str(club.team_id), "team_name": "U16"}, {
        "team_id": str(club.other_team_id), "team_name": "U18",
    }  # fmt: skip
    elias = {"player_id": str(club["player"].id), "player_name": "Elias Nilsson"}

    player = _me(stats, club["player"])
    assert (player["user_id"], player["name"], player["roles"]) == (str(club["player"].id), "Elias Nilsson", ["player"])
    assert (player["players"], player["teams"]) == ([elias], [])

    parent = _me(stats, club["parent"])
    assert (parent["name"], parent["players"], parent["teams"]) == ("Maria Nilsson", [elias], [])

    coach = _me(stats, club["coach"])
    assert (coach["name"], coach["players"], coach["teams"]) == ("Johan Ek", [], [team])

    admin = _me(stats, club["admin"])  # every team of the club, by name, and none of another club
    assert (admin["name"], admin["players"], admin["teams"]) == ("Anna Berg", [], [team, other_team])

    medic = _me(stats, club["medic"])
    assert (medic["players"], medic["teams"]) == ([], [])


def test_a_guardian_of_several_children_gets_them_by_name(stats, stats_settings, warehouse, stats_club):
    club = stats_club
    second_child = uuid.uuid4()
    warehouse.add_person(club.org_id, second_child, "Alma Nilsson", is_player=True)
    warehouse.publish()
    parent = person_with(stats_settings, club.org_id, {"parent"}, set(), guardian_of={club["player"].id, second_child})

    assert [p["player_name"] for p in _me(stats, parent)["players"]] == ["Alma Nilsson", "Elias Nilsson"]


def test_before_the_first_snapshot_the_answer_comes_from_the_token(stats, stats_club):
    coach = _me(stats, stats_club["coach"])

    assert (coach["name"], coach["teams"]) == (None, [{"team_id": str(stats_club.team_id), "team_name": None}])
    parent = _me(stats, stats_club["parent"])
    assert parent["players"] == [{"player_id": str(stats_club["player"].id), "player_name": None}]
    assert stats.get(ME).status_code == 401
