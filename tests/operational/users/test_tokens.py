"""Refresh rotation with reuse detection, logout, revoke-all, JWKS, and sign-in throttling."""

from __future__ import annotations

import uuid

import jwt
import pytest

from tests.factories import PASSWORD, make_club

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


def _login(client, person, password=PASSWORD, **extra):
    return client.post(LOGIN, json={"email": person.email, "password": password, **extra})


def test_refresh_rotates_and_reuse_revokes_the_whole_family(gateway, club):
    first = _login(gateway, club["coach"]).json()
    second = gateway.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (
        gateway.get("/api/v1/users/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code
        == 200
    )

    # someone replays the first (already used) refresh token: the whole family ends, the thief's and the owner's
    stolen = gateway.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert stolen.status_code == 401
    assert stolen.json()["error"]["code"] == "refresh_token_reused"
    owner = gateway.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert owner.status_code == 401

    # another sign-in (another family) is not affected
    other = _login(gateway, club["coach"]).json()
    assert gateway.post(REFRESH, json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_logout_and_revoke_all(gateway, club):
    phone = _login(gateway, club["player"]).json()
    laptop = _login(gateway, club["player"]).json()
    assert gateway.post("/api/v1/auth/logout", json={"refresh_token": phone["refresh_token"]}).status_code == 204
    assert gateway.post(REFRESH, json={"refresh_token": phone["refresh_token"]}).status_code == 401
    laptop = gateway.post(REFRESH, json={"refresh_token": laptop["refresh_token"]}).json()

    headers = {"Authorization": f"Bearer {laptop['access_token']}"}
    assert gateway.post("/api/v1/auth/revoke-all", headers=headers).status_code == 204
    assert gateway.post(REFRESH, json={"refresh_token": laptop["refresh_token"]}).status_code == 401


def test_a_garbage_refresh_token_is_401(gateway):
    response = gateway.post(REFRESH, json={"refresh_token": "x" * 43})
    assert response.status_code == 401


def test_jwks_serves_the_key_that_verifies_tokens(gateway, club):
    keys = gateway.get("/.well-known/jwks.json").json()["keys"]
    assert [k["kty"] for k in keys] == ["OKP"] and "d" not in keys[0]  # public part only
    token = _login(gateway, club["admin"]).json()["access_token"]
    assert jwt.get_unverified_header(token)["kid"] == keys[0]["kid"]
    claims = jwt.decode(token, jwt.PyJWK(keys[0]).key, algorithms=["EdDSA"], audience="hockey-hub", issuer="hockey-hub")
    assert claims["sub"] == str(club["admin"].id)


def test_sixth_bad_password_in_a_minute_is_429_and_then_even_the_right_one_fails(gateway, club):
    person = club["teammate"]
    for _ in range(5):
        assert _login(gateway, person, password="wrong-password").status_code == 401
    sixth = _login(gateway, person, password="wrong-password")
    assert sixth.status_code == 429
    assert 1 <= int(sixth.headers["Retry-After"]) <= 60
    assert sixth.json()["error"]["code"] == "too_many_attempts"
    locked = _login(gateway, person)  # the right password
    assert locked.status_code == 429
    # another account is not locked by it
    assert _login(gateway, club["other_player"]).status_code == 200


def test_many_failures_from_one_address_are_throttled_across_accounts(settings):
    from fastapi.testclient import TestClient

    from operational.gateway import create_app

    club = make_club(settings, spares=6)
    address = f"203.0.113.{uuid.uuid4().int % 250 + 1}"  # one client address of its own (TEST-NET-3)
    names = [n for n in club.people if n.startswith("spare")] + ["coach", "admin", "medic", "parent"]
    with TestClient(create_app(settings), client=(address, 40000)) as client:
        # 30 failures spread over 10 accounts: no account reaches its own limit, the address does
        statuses = [_login(client, club[name], password="nope").status_code for name in names * 3]
        limit = settings.login_max_failures_per_address
        assert statuses[:limit] == [401] * limit
        assert set(statuses[limit:]) == {429}
        # the right password from that address is refused as well, and other addresses are not affected
        assert _login(client, club["coach"]).status_code == 429
    with TestClient(create_app(settings), client=("198.51.100.7", 40000)) as elsewhere:
        assert _login(elsewhere, club["coach"]).status_code == 200


@pytest.mark.parametrize("field", ["role", "org_id", "id", "is_admin", "org_roles", "email"])
def test_profile_update_refuses_mass_assignment(gateway, club, field):
    value = {
        "role": "club_admin",
        "org_id": str(club.org_id),
        "id": str(club["admin"].id),
        "is_admin": True,
        "org_roles": ["club_admin"],
        "email": "new@example.org",
    }[field]
    response = gateway.patch("/api/v1/users/me", json={field: value}, headers=club["player"].headers)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    me = gateway.get("/api/v1/users/me", headers=club["player"].headers).json()
    assert me["org_roles"] == [] and me["email"] == club["player"].email


def test_profile_update_with_clear_validation(gateway, club):
    ok = gateway.patch(
        "/api/v1/users/me",
        json={"position": "defence", "jersey_number": 4, "time_zone": "Europe/Stockholm"},
        headers=club["player"].headers,
    )
    assert ok.status_code == 200 and ok.json()["jersey_number"] == 4
    bad = gateway.patch("/api/v1/users/me", json={"time_zone": "Mars/Olympus"}, headers=club["player"].headers)
    assert bad.status_code == 422 and "time zone" in bad.json()["error"]["message"]
