"""Refresh rotation with reuse detection, logout, revoke-all, JWKS, and sign-in throttling."""

from __future__ import annotations

import json
import uuid

import jwt
import pytest
from pydantic import SecretStr

from tests.factories import PASSWORD, make_club

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


def _login(client, person, password=PASSWORD, headers=None, **extra):
    return client.post(LOGIN, json={"email": person.email, "password": password, **extra}, headers=headers)


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


# --- access tokens end with their session -----------------------------------------------------------------------------
ME = "/api/v1/users/me"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_ends_the_access_token_on_the_next_request(gateway, club):
    phone = _login(gateway, club["coach"]).json()
    laptop = _login(gateway, club["coach"]).json()
    assert gateway.get(ME, headers=_bearer(phone["access_token"])).status_code == 200
    assert gateway.post("/api/v1/auth/logout", json={"refresh_token": phone["refresh_token"]}).status_code == 204

    refused = gateway.get(ME, headers=_bearer(phone["access_token"]))
    assert refused.status_code == 401 and "sign in again" in refused.json()["error"]["message"]
    assert gateway.get(ME, headers=_bearer(laptop["access_token"])).status_code == 200  # another sign-in goes on


def _reset_password(settings, person) -> str:
    import asyncio

    from operational.users import auth_service
    from tests.operational.users.unit_of_work import in_transaction

    [token] = asyncio.run(
        in_transaction(settings, lambda s: auth_service.request_password_reset(s, settings, person.email))
    )
    return token


@pytest.mark.parametrize("how", ["revoke_all", "deactivation", "password_reset", "password_change", "erasure"])
def test_ending_every_session_ends_every_access_token_at_once(gateway, settings, how):
    club = make_club(settings)
    person, admin = club["teammate"], club["admin"]
    first = _login(gateway, person).json()
    second = _login(gateway, person).json()
    if how == "revoke_all":
        assert gateway.post("/api/v1/auth/revoke-all", headers=_bearer(second["access_token"])).status_code == 204
    elif how == "deactivation":
        assert gateway.post(f"/api/v1/users/{person.id}/deactivate", json={}, headers=admin.headers).status_code == 200
    elif how == "password_reset":
        body = {"token": _reset_password(settings, person), "new_password": "a-brand-new-secret"}
        assert gateway.post("/api/v1/auth/password-reset/confirm", json=body).status_code == 204
    elif how == "password_change":
        body = {"current_password": PASSWORD, "new_password": "a-brand-new-secret"}
        changed = gateway.post("/api/v1/auth/password", json=body, headers=_bearer(second["access_token"]))
        assert changed.status_code == 200
        # the device that changed it goes on with its new tokens
        assert gateway.get(ME, headers=_bearer(changed.json()["access_token"])).status_code == 200
    else:
        assert gateway.post(f"/api/v1/users/{person.id}/erase", headers=admin.headers).status_code == 204
    for tokens in (first, second):
        assert gateway.get(ME, headers=_bearer(tokens["access_token"])).status_code == 401
        assert gateway.post(REFRESH, json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_a_wrong_current_password_changes_nothing(gateway, club):
    tokens = _login(gateway, club["player"]).json()
    body = {"current_password": "not-my-password", "new_password": "a-brand-new-secret"}
    refused = gateway.post("/api/v1/auth/password", json=body, headers=_bearer(tokens["access_token"]))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "current_password"
    assert gateway.get(ME, headers=_bearer(tokens["access_token"])).status_code == 200
    assert _login(gateway, club["player"]).status_code == 200


def test_a_stolen_refresh_token_ends_the_access_tokens_of_its_session(gateway, club):
    first = _login(gateway, club["coach"]).json()
    second = gateway.post(REFRESH, json={"refresh_token": first["refresh_token"]}).json()
    assert gateway.post(REFRESH, json={"refresh_token": first["refresh_token"]}).status_code == 401  # replayed
    for tokens in (first, second):
        assert gateway.get(ME, headers=_bearer(tokens["access_token"])).status_code == 401


def _wait_for_status(client, url: str, headers: dict, status: int, seconds: float = 15) -> int:
    import time

    deadline = time.monotonic() + seconds
    while (answer := client.get(url, headers=headers).status_code) != status and time.monotonic() < deadline:
        time.sleep(0.1)
    return answer


def test_other_api_processes_learn_of_a_logout_from_nats(gateway, club, settings):
    from fastapi.testclient import TestClient

    from operational.training.app import create_app as training_app

    tokens = _login(gateway, club["player"]).json()
    training_url = "/api/v1/training/rpe-logs"
    with TestClient(training_app(settings)) as training:  # a separate service with its own revocation list
        assert _wait_for_status(training, training_url, _bearer(tokens["access_token"]), 200) == 200
        assert gateway.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
        assert _wait_for_status(training, training_url, _bearer(tokens["access_token"]), 401) == 401
    # and a process started after the logout refuses the token as well (it reads back as far as tokens live)
    with TestClient(training_app(settings)) as started_later:
        assert _wait_for_status(started_later, training_url, _bearer(tokens["access_token"]), 401) == 401


def test_revocations_are_recorded_as_contract_events(gateway, club, settings):
    from sqlalchemy import create_engine, select

    from contracts.registry import parse_event
    from operational.kit.db import sqlalchemy_url
    from operational.users.models import outbox

    tokens = _login(gateway, club["other_player"]).json()
    session_id = jwt.decode(tokens["access_token"], options={"verify_signature": False})["sid"]
    assert gateway.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    engine = create_engine(sqlalchemy_url(settings.database_url))
    with engine.connect() as conn:
        rows = conn.execute(
            select(outbox.table.c.envelope).where(outbox.table.c.subject == "hub.users.sessions.revoked")
        ).scalars()
        events = [parse_event(json.dumps(row)) for row in rows]
    engine.dispose()
    [event] = [e for e in events if e.data.session_id is not None and str(e.data.session_id) == session_id]
    assert (event.data.user_id, event.data.reason) == (club["other_player"].id, "logout")


# --- whose address a failed sign-in counts against ------------------------------------------------------------------
def test_a_client_cannot_dodge_the_address_limit_with_forwarded_headers(settings):
    from fastapi.testclient import TestClient

    from operational.gateway import create_app

    club = make_club(settings, spares=6)
    names = [n for n in club.people if n.startswith("spare")] + ["coach", "admin", "medic", "parent"]
    limit = settings.login_max_failures_per_address
    loopback = f"127.0.{uuid.uuid4().int % 200 + 20}.9"  # of its own, so no other test's failures count
    with TestClient(create_app(settings), client=(loopback, 40000)) as client:  # even from loopback
        statuses = [
            client.post(
                LOGIN,
                json={"email": club[name].email, "password": "nope"},
                headers={"X-Forwarded-For": f"198.51.100.{i % 250 + 1}"},  # a new made-up address every time
            ).status_code
            for i, name in enumerate(names * 3)
        ]
    assert statuses[:limit] == [401] * limit and set(statuses[limit:]) == {429}


def test_the_dashboards_forward_each_browsers_address_with_the_proxy_secret(settings):
    from fastapi.testclient import TestClient

    from dashboards.client import PROXY_SECRET_HEADER
    from operational.gateway import create_app

    club = make_club(settings, spares=6)
    names = [n for n in club.people if n.startswith("spare")] + ["coach", "admin", "medic", "parent"]
    secret = "dashboards-only-" + uuid.uuid4().hex
    dashboards_settings = settings.model_copy(update={"proxy_secret": SecretStr(secret)})
    dashboards_peer = f"127.0.{uuid.uuid4().int % 200 + 20}.1"
    attacker = {"X-Forwarded-For": "192.0.2.66", PROXY_SECRET_HEADER: secret}
    with TestClient(create_app(dashboards_settings), client=(dashboards_peer, 40000)) as dashboards:
        statuses = [
            dashboards.post(LOGIN, json={"email": club[name].email, "password": "nope"}, headers=attacker).status_code
            for name in names * 3
        ]
        limit = settings.login_max_failures_per_address
        assert set(statuses[limit:]) == {429}  # the attacker's browser is locked out …
        someone_else = {"X-Forwarded-For": "192.0.2.77", PROXY_SECRET_HEADER: secret}
        ok = dashboards.post(LOGIN, json={"email": club["player"].email, "password": PASSWORD}, headers=someone_else)
        assert ok.status_code == 200  # … not everyone else who signs in through the dashboards
