"""Who may put people into teams, and who sees what of whom (the directory rule)."""

from __future__ import annotations

import pytest

from operational.kit.auth import Principal
from tests.factories import make_club, token_for

CONTACT_AND_AGE = {"email", "date_of_birth", "invitation", "org_roles", "language", "time_zone"}


@pytest.fixture(scope="module")
def club(settings):
    return make_club(settings)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", 201),
        ("coach", 403),  # the team's own coach: invites new people, never moves existing members in
        ("other_coach", 403),
        ("player", 403),
        ("parent", 403),
        ("medic", 403),
    ],
)
def test_only_club_admins_put_a_member_into_a_team(gateway, settings, actor, expected):
    club = make_club(settings)
    target = club["other_player"]  # of the other team: a coach must not pull them in to read their data
    for role in ("player", "parent"):
        answer = gateway.post(
            f"/api/v1/teams/{club.team_id}/members",
            json={"user_id": str(target.id), "role": role},
            headers=club[actor].headers,
        )
        assert answer.status_code == expected, answer.text
        if expected == 403 and actor in ("coach", "player", "parent"):  # they see the team, so they learn why
            assert "club admin" in answer.json()["error"]["message"]
    if actor == "coach":
        assert gateway.get(f"/api/v1/users/{target.id}", headers=club["coach"].headers).status_code == 403
        members = gateway.get(f"/api/v1/teams/{club.team_id}/members", headers=club["admin"].headers).json()
        assert str(target.id) not in {m["id"] for m in members["items"]}


def test_a_coach_still_invites_new_people_into_their_team(gateway, club):
    invited = gateway.post(
        "/api/v1/users/invitations",
        json={
            "email": "new-winger@example.org",
            "full_name": "New Winger",
            "team_id": str(club.team_id),
            "role": "player",
        },
        headers=club["coach"].headers,
    )
    assert invited.status_code == 201


def _viewer(settings, club, name: str, *, roles: set[str], teams: set) -> dict[str, str]:
    person = club[name]
    principal = Principal(
        user_id=person.id,
        org_id=club.org_id,
        roles=frozenset(roles),
        team_ids=frozenset(teams),
        guardian_of=person.principal.guardian_of,
    )
    return {"Authorization": f"Bearer {token_for(settings, principal)}"}


@pytest.mark.parametrize(
    ("viewer", "target", "expected"),
    [
        ("player", "player", "full"),  # oneself
        ("parent", "player", "full"),  # their minor
        ("coach", "player", "full"),  # staff of the player's team
        ("admin", "player", "full"),
        ("teammate", "player", "directory"),  # a teammate: name, position, number
        ("parent", "teammate", "directory"),  # another child's parent
        ("player", "coach", "directory"),
    ],
)
def test_teammates_see_the_directory_and_staff_see_contact_details(gateway, club, viewer, target, expected):
    answer = gateway.get(f"/api/v1/users/{club[target].id}", headers=club[viewer].headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["view"] == expected
    if expected == "directory":
        assert not CONTACT_AND_AGE & body.keys(), body
        assert body.keys() >= {"id", "full_name", "position", "jersey_number", "memberships"}
    else:
        assert body["email"] == club[target].email


def test_lists_give_each_person_the_view_the_caller_is_entitled_to(gateway, club):
    for url in ("/api/v1/users", f"/api/v1/teams/{club.team_id}/members"):
        items = gateway.get(url, headers=club["parent"].headers).json()["items"]
        views = {item["id"]: item["view"] for item in items}
        assert views[str(club["player"].id)] == "full"  # their child
        assert views[str(club["teammate"].id)] == "directory"
        assert views[str(club["coach"].id)] == "directory"
        for item in items:
            if item["view"] == "directory":
                assert not CONTACT_AND_AGE & item.keys()
        # nor can a name search be used to probe e-mail addresses
        by_email = gateway.get(url, params={"q": club["teammate"].email}, headers=club["player"].headers).json()
        assert by_email["total"] == 0


def test_staff_roles_count_in_their_own_team_only(gateway, settings, club):
    """A coach of U18 who is a parent in U16 sees U16's players as a parent does."""
    added = gateway.post(
        f"/api/v1/teams/{club.team_id}/members",
        json={"user_id": str(club["other_coach"].id), "role": "parent"},
        headers=club["admin"].headers,
    )
    assert added.status_code == 201
    headers = _viewer(
        settings, club, "other_coach", roles={"coach", "parent"}, teams={club.team_id, club.other_team_id}
    )
    assert gateway.get(f"/api/v1/users/{club['player'].id}", headers=headers).json()["view"] == "directory"
    assert gateway.get(f"/api/v1/users/{club['other_player'].id}", headers=headers).json()["view"] == "full"


def test_medical_staff_of_a_team_see_its_people_in_full(gateway, settings, club):
    added = gateway.post(
        f"/api/v1/teams/{club.team_id}/members",
        json={"user_id": str(club["medic"].id), "role": "medical_staff"},
        headers=club["admin"].headers,
    )
    assert added.status_code == 201
    headers = _viewer(settings, club, "medic", roles={"medical_staff"}, teams={club.team_id})
    body = gateway.get(f"/api/v1/users/{club['player'].id}", headers=headers).json()
    assert body["view"] == "full" and body["date_of_birth"] == "2011-03-15"
