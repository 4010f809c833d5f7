"""Tokens that must not get in: missing, expired, forged, unsigned, or signed with the public key as an HMAC secret."""

from __future__ import annotations

import base64
import json
import time
from datetime import date, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.factories import PASSWORD, token_for

URL = "/api/v1/users/me"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(settings, person) -> dict:
    now = int(time.time())
    return {
        "sub": str(person.id),
        "org_id": str(person.principal.org_id),
        "roles": ["club_admin"],
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }


def test_valid_token_is_accepted(gateway, club):
    response = gateway.get(URL, headers=club["player"].headers)
    assert response.status_code == 200
    assert response.json()["id"] == str(club["player"].id)


def test_missing_token_is_401_with_bearer_challenge(gateway):
    response = gateway.get(URL)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


def test_expired_token_is_401_and_says_so(gateway, club, settings):
    token = token_for(settings, club["player"].principal, minutes=-1)
    response = gateway.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


@pytest.mark.parametrize("forgery", ["other_key", "alg_none", "hmac_with_public_key", "tampered_claims"])
def test_forged_tokens_are_401(gateway, club, settings, forgery):
    claims = _claims(settings, club["player"])
    if forgery == "other_key":
        token = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA")
    elif forgery == "alg_none":
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    elif forgery == "hmac_with_public_key":
        header = _b64({"alg": "HS256", "typ": "JWT"})
        import hashlib
        import hmac

        signing_input = f"{header}.{_b64(claims)}".encode()
        signature = hmac.new(settings.public_key_pem, signing_input, hashlib.sha256).digest()
        token = f"{header}.{_b64(claims)}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    else:  # a real token whose payload was edited to add a role
        header, _, signature = club["player"].token.split(".")
        token = f"{header}.{_b64(claims)}.{signature}"
    response = gateway.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_login_issues_a_working_token_and_refuses_a_wrong_password(gateway, club):
    email = club["coach"].email
    ok = gateway.post("/api/v1/auth/login", json={"email": email.upper(), "password": PASSWORD})
    assert ok.status_code == 200
    body = ok.json()
    assert body["token_type"] == "bearer"
    me = gateway.get(URL, headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["email"] == email
    assert [(m["team_id"], m["role"]) for m in me["memberships"]] == [(str(club.team_id), "coach")]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["team_ids"] == [str(club.team_id)] and "coach" in claims["roles"]
    assert claims["exp"] - claims["iat"] == 15 * 60

    for wrong in (
        {"email": email, "password": "nope"},
        {"email": "nobody@example.org", "password": PASSWORD},
    ):
        refused = gateway.post("/api/v1/auth/login", json=wrong)
        assert refused.status_code == 401
        # the same answer whether the account exists or not
        assert refused.json()["error"]["message"] == "E-mail or password is wrong."


def test_correlation_id_travels_from_request_into_the_event(gateway, club, settings):
    from sqlalchemy import create_engine, select

    from operational.kit.db import sqlalchemy_url
    from operational.training.models import outbox

    response = gateway.post(
        "/api/v1/training/rpe-logs",
        json={
            "session_date": (date.today() - timedelta(days=1)).isoformat(),
            "rpe": 5,
            "duration_minutes": 40,
        },
        headers={**club["player"].headers, "X-Correlation-ID": "req-trace-42"},
    )
    assert response.status_code == 201
    assert response.headers["x-correlation-id"] == "req-trace-42"
    engine = create_engine(sqlalchemy_url(settings.database_url))
    with engine.connect() as conn:
        envelopes = conn.execute(select(outbox.table.c.envelope)).scalars().all()
    engine.dispose()
    [event] = [e for e in envelopes if e["subject_id"] == response.json()["id"]]
    assert event["correlation_id"] == "req-trace-42"
    assert event["actor_id"] == str(club["player"].id)


def test_health_readiness_and_metrics(gateway):
    assert gateway.get("/healthz").json() == {"status": "ok"}
    deadline = time.monotonic() + 10  # NATS connects in the background after start-up
    while (ready := gateway.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"postgres": "ok", "nats": "ok"}
    metrics = gateway.get("/metrics").text
    assert 'hub_http_requests_total{method="GET",route="/readyz",status="200"}' in metrics
