"""Use of the system becomes events the warehouse counts: sign-ins and dashboard page views."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.operational.admin.outbox import outbox_envelopes

PAGE_VIEWS = "/api/v1/admin/usage/page-views"


def test_a_dashboard_page_view_is_counted_as_the_viewers_in_their_club(gateway, settings, club):
    coach = club["coach"]
    assert gateway.post(PAGE_VIEWS, json={"page": "team-load"}, headers=coach.headers).status_code == 204

    [viewed] = outbox_envelopes(settings, "admin", "admin.page.viewed", coach.id)
    assert viewed["org_id"] == str(club.org_id) and viewed["data"] == {"page": "team-load"}


def test_a_page_view_needs_a_sign_in_and_a_page_name(gateway, settings, club):
    assert gateway.post(PAGE_VIEWS, json={"page": "team-load"}).status_code == 401
    for bad in ({"page": "Team Load/../x"}, {}, {"page": "team-load", "org_id": str(club.org_id)}):
        answer = gateway.post(PAGE_VIEWS, json=bad, headers=club["player"].headers)
        assert answer.status_code == 422 and "/api/" not in answer.json()["error"]["message"]
    assert outbox_envelopes(settings, "admin", "admin.page.viewed", club["player"].id) == []


def test_a_sign_in_is_announced_with_the_roles_and_teams_of_the_session(gateway, settings, club):
    player = club["teammate"]
    tokens = gateway.post("/api/v1/auth/login", json={"email": player.email, "password": PASSWORD}).json()
    # a wrong password is no sign-in, and a refresh continues the session rather than starting one
    assert gateway.post("/api/v1/auth/login", json={"email": player.email, "password": "wrong"}).status_code == 401
    assert gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 200

    [signed_in] = outbox_envelopes(settings, "users", "users.session.signed_in", player.id)
    assert signed_in["org_id"] == str(club.org_id)
    assert signed_in["data"]["method"] == "password" and signed_in["data"]["roles"] == ["player"]
    assert signed_in["data"]["team_ids"] == [str(club.team_id)] and signed_in["data"]["second_factor"] is False
