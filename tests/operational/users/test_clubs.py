"""Clubs as the platform sees them: a platform admin onboards, suspends and reactivates; a club admin sees only their
own club."""

from __future__ import annotations

import uuid

from tests.factories import PASSWORD, make_platform_admin

CLUBS = "/api/v1/admin/clubs"
LOGIN = "/api/v1/auth/login"
ACCEPT = "/api/v1/auth/invitations/accept"


def _new_club_body(**extra) -> dict:
    suffix = uuid.uuid4().hex[:8]
    return {
        "name": f"Lakeside {suffix}",
        "slug": f"lakeside-{suffix}",
        "time_zone": "Europe/Helsinki",
        "language": "fi",
        "plan": "premium",
        "first_admin": {"email": f"chair-{suffix}@example.org", "full_name": "Aino Virtanen"},
        **extra,
    }


def test_a_platform_admin_onboards_a_club_whose_admin_then_signs_in(gateway, settings):
    platform = make_platform_admin(settings)
    body = _new_club_body()
    created = gateway.post(CLUBS, json=body, headers=platform.headers)
    assert created.status_code == 201, created.text
    onboarded = created.json()
    assert onboarded["club"] | {"id": None, "created_at": None} == {
        "id": None,
        "name": body["name"],
        "slug": body["slug"],
        "time_zone": "Europe/Helsinki",
        "language": "fi",
        "plan": "premium",
        "status": "active",
        "suspended_at": None,
        "suspension_reason": None,
        "created_at": None,
    }

    accepted = gateway.post(ACCEPT, json={"token": onboarded["invitation_token"], "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    signed_in = gateway.post(LOGIN, json={"email": body["first_admin"]["email"], "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    admin = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    me = gateway.get("/api/v1/users/me", headers=admin).json()
    assert me["full_name"] == "Aino Virtanen" and "club_admin" in me["org_roles"]
    assert gateway.get("/api/v1/orgs/current", headers=admin).json()["name"] == body["name"]

    # the same slug again is a conflict with a message, and nothing of the second attempt is written
    again = gateway.post(CLUBS, json=_new_club_body(slug=body["slug"]), headers=platform.headers)
    assert again.status_code == 409 and "already exists" in again.json()["error"]["message"]
    listed = gateway.get(CLUBS, params={"q": body["name"]}, headers=platform.headers).json()
    assert [c["slug"] for c in listed["items"]] == [body["slug"]]


def test_bad_onboarding_input_is_refused_with_a_message(gateway, settings):
    platform = make_platform_admin(settings)
    for bad in (
        _new_club_body(time_zone="Mars/Olympus"),
        _new_club_body(plan="unlimited"),
        _new_club_body(first_admin={"email": "not-an-address", "full_name": "X"}),
        _new_club_body(org_id=str(uuid.uuid4())),
    ):
        answer = gateway.post(CLUBS, json=bad, headers=platform.headers)
        assert answer.status_code == 422, answer.text
        assert "/api/" not in answer.json()["error"]["message"]


def test_a_club_admin_sees_only_their_own_club_and_cannot_touch_another(gateway, settings, club):
    other = gateway.post(CLUBS, json=_new_club_body(), headers=make_platform_admin(settings).headers).json()["club"]
    admin = club["admin"].headers

    listed = gateway.get(CLUBS, headers=admin).json()
    assert [c["id"] for c in listed["items"]] == [str(club.org_id)] and listed["total"] == 1
    assert gateway.get(f"{CLUBS}/{club.org_id}", headers=admin).status_code == 200
    assert gateway.get(f"{CLUBS}/{other['id']}", headers=admin).status_code == 404
    assert gateway.post(f"{CLUBS}/{other['id']}/suspend", headers=admin).status_code == 404
    assert gateway.post(f"{CLUBS}/{club.org_id}/suspend", headers=admin).status_code == 403
    assert gateway.post(CLUBS, json=_new_club_body(), headers=admin).status_code == 403
    assert gateway.get(CLUBS, headers=club["coach"].headers).status_code == 403


def test_a_suspended_clubs_people_are_signed_out_and_cannot_sign_in_until_reactivated(gateway, settings, club):
    platform = make_platform_admin(settings)
    player = club["teammate"]
    session = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD}).json()
    signed_in = {"Authorization": f"Bearer {session['access_token']}"}
    assert gateway.get("/api/v1/users/me", headers=signed_in).status_code == 200

    suspended = gateway.post(
        f"{CLUBS}/{club.org_id}/suspend", json={"reason": "Unpaid invoice"}, headers=platform.headers
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended" and suspended.json()["suspension_reason"] == "Unpaid invoice"

    # the token held before is refused on the very next request, and no new one is issued
    assert gateway.get("/api/v1/users/me", headers=signed_in).status_code == 401
    refused = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "club_suspended"
    assert "suspended" in refused.json()["error"]["message"]
    assert gateway.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}).status_code == 401
    assert gateway.post(f"{CLUBS}/{club.org_id}/suspend", headers=platform.headers).status_code == 409
    assert [
        c["id"] for c in gateway.get(CLUBS, params={"status": "suspended"}, headers=platform.headers).json()["items"]
    ].count(str(club.org_id)) == 1

    # reactivated: the same person signs in again and finds their team as it was
    assert gateway.post(f"{CLUBS}/{club.org_id}/reactivate", headers=platform.headers).json()["status"] == "active"
    again = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD})
    assert again.status_code == 200, again.text
    me = gateway.get("/api/v1/users/me", headers={"Authorization": f"Bearer {again.json()['access_token']}"}).json()
    assert [m["team_id"] for m in me["memberships"]] == [str(club.team_id)]


def test_a_platform_admin_cannot_suspend_their_own_club(gateway, settings):
    platform = make_platform_admin(settings)
    answer = gateway.post(f"{CLUBS}/{platform.principal.org_id}/suspend", headers=platform.headers)
    assert answer.status_code == 409 and "lock yourself out" in answer.json()["error"]["message"]
