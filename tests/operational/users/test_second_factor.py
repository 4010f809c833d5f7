"""A club requires a second factor for medical staff: enrolment, sign-in with a code, and guessing it."""

from __future__ import annotations

import base64
import time

import jwt

from operational.users import totp
from tests.factories import PASSWORD

LOGIN = "/api/v1/auth/login"


def _code(secret: str, steps_ahead: int = 0) -> str:
    """The authenticator's code now (or ``steps_ahead`` 30-second steps on: a code is accepted once only)."""
    return totp.code_at(secret, time.time() + steps_ahead * totp.STEP_SECONDS)


def test_club_requires_totp_for_medical_staff(gateway, club):
    admin, medic = club["admin"], club["medic"]
    assert (
        gateway.patch(
            "/api/v1/orgs/current", json={"mfa_required_roles": ["medical_staff"]}, headers=admin.headers
        ).status_code
        == 200
    )

    # password only: a short token that can do nothing but set up the second factor
    first = gateway.post(LOGIN, json={"email": medic.email, "password": PASSWORD}).json()
    assert first["scope"] == "totp_enroll" and first["refresh_token"] is None
    enroll = {"Authorization": f"Bearer {first['access_token']}"}
    assert gateway.get("/api/v1/users/me", headers=enroll).status_code == 401

    setup = gateway.post("/api/v1/auth/totp/setup", headers=enroll).json()
    assert setup["provisioning_uri"].startswith("otpauth://totp/")
    assert gateway.post("/api/v1/auth/totp/confirm", json={"code": "000000"}, headers=enroll).status_code == 422
    confirmed = gateway.post("/api/v1/auth/totp/confirm", json={"code": _code(setup["secret"])}, headers=enroll)
    assert confirmed.status_code == 200
    assert jwt.decode(confirmed.json()["access_token"], options={"verify_signature": False})["mfa"] is True

    # from now on the password alone is not enough
    no_code = gateway.post(LOGIN, json={"email": medic.email, "password": PASSWORD})
    assert no_code.status_code == 401 and no_code.json()["error"]["code"] == "totp_required"
    with_code = gateway.post(
        LOGIN, json={"email": medic.email, "password": PASSWORD, "totp_code": _code(setup["secret"], 1)}
    )
    assert with_code.status_code == 200
    tokens = with_code.json()
    assert gateway.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()[
        "totp_enabled"
    ]
    # a refreshed session keeps its second-factor claim
    refreshed = gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).json()
    assert jwt.decode(refreshed["access_token"], options={"verify_signature": False})["mfa"] is True

    # the club's rule cannot be switched off by the person it applies to
    me = {"Authorization": f"Bearer {refreshed['access_token']}"}
    refused = gateway.post("/api/v1/auth/me/totp/disable", json={"code": _code(setup["secret"])}, headers=me)
    assert refused.status_code == 422 and "requires a second factor" in refused.json()["error"]["message"]


def test_guessing_the_code_is_throttled_like_a_password(gateway, club):
    player = club["teammate"]
    setup = gateway.post("/api/v1/auth/me/totp/setup", headers=player.headers).json()
    assert (
        gateway.post(
            "/api/v1/auth/me/totp/confirm", json={"code": _code(setup["secret"])}, headers=player.headers
        ).status_code
        == 200
    )
    right = _code(setup["secret"])
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    statuses = [
        gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD, "totp_code": wrong}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    locked = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD, "totp_code": right})
    assert locked.status_code == 429


def test_a_refresh_after_the_club_requires_a_second_factor_gets_the_enrolment_answer(gateway, club):
    admin, medic = club["admin"], club["medic"]
    before = gateway.post(LOGIN, json={"email": medic.email, "password": PASSWORD}).json()  # no rule yet
    assert before["scope"] == "access"
    rule = {"mfa_required_roles": ["medical_staff"]}
    assert gateway.patch("/api/v1/orgs/current", json=rule, headers=admin.headers).status_code == 200

    refreshed = gateway.post("/api/v1/auth/refresh", json={"refresh_token": before["refresh_token"]})
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert body["scope"] == "totp_enroll" and body["refresh_token"] is None
    assert jwt.decode(body["access_token"], options={"verify_signature": False})["scope"] == "totp_enroll"
    # the password-only session is over: its access token, and any further refresh
    old = {"Authorization": f"Bearer {before['access_token']}"}
    assert gateway.get("/api/v1/users/me", headers=old).status_code == 401
    assert gateway.post("/api/v1/auth/refresh", json={"refresh_token": before["refresh_token"]}).status_code == 401


def test_a_refresh_of_someone_given_a_role_that_needs_a_second_factor_ends_the_session(gateway, settings):
    from tests.factories import make_club

    club = make_club(settings)
    admin, coach = club["admin"], club["coach"]
    rule = {"mfa_required_roles": ["medical_staff"]}
    assert gateway.patch("/api/v1/orgs/current", json=rule, headers=admin.headers).status_code == 200
    session = gateway.post(LOGIN, json={"email": coach.email, "password": PASSWORD}).json()
    assert session["scope"] == "access"  # a coach needs no second factor …
    membership = {"user_id": str(coach.id), "role": "medical_staff"}
    added = gateway.post(f"/api/v1/teams/{club.team_id}/members", json=membership, headers=admin.headers)
    assert added.status_code == 201  # … until they also become the team's medical staff
    refreshed = gateway.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}).json()
    assert refreshed["scope"] == "totp_enroll"


def test_a_code_signs_in_once(gateway, club):
    player = club["other_player"]
    setup = gateway.post("/api/v1/auth/me/totp/setup", headers=player.headers).json()
    confirmed_at = time.time()
    used = totp.code_at(setup["secret"], confirmed_at)
    confirm = gateway.post("/api/v1/auth/me/totp/confirm", json={"code": used}, headers=player.headers)
    assert confirm.status_code == 200
    # the code used to confirm cannot sign in, not even within its 30 seconds
    reused = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD, "totp_code": used})
    assert reused.status_code == 401 and reused.json()["error"]["code"] == "totp_invalid"
    assert "already used" in reused.json()["error"]["message"]

    # the next code the app shows (a neighbouring step is accepted) signs in, once
    following = totp.code_at(setup["secret"], (totp.step_at(confirmed_at) + 1) * totp.STEP_SECONDS)
    first = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD, "totp_code": following})
    assert first.status_code == 200
    replayed = gateway.post(LOGIN, json={"email": player.email, "password": PASSWORD, "totp_code": following})
    assert replayed.status_code == 401 and "already used" in replayed.json()["error"]["message"]


def test_totp_matches_rfc_6238_test_vectors():
    """RFC 6238 appendix B, SHA-1 (the 8-digit vectors' last six digits are the 6-digit code)."""
    secret = base64.b32encode(b"12345678901234567890").decode()
    for unix_time, eight_digits in [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924")]:
        assert totp.code_at(secret, unix_time) == eight_digits[-6:]
        step = totp.matching_step(secret, eight_digits[-6:], now=unix_time)
        assert step == unix_time // 30
