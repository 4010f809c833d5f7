"""A club requires a second factor for medical staff: enrolment, sign-in with a code, and guessing it."""

from __future__ import annotations

import time

import jwt

from operational.users import totp
from tests.factories import PASSWORD

LOGIN = "/api/v1/auth/login"


def _code(secret: str) -> str:
    return totp.code_at(secret, time.time())


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
        LOGIN, json={"email": medic.email, "password": PASSWORD, "totp_code": _code(setup["secret"])}
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
    assert refused.status_code == 422


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
