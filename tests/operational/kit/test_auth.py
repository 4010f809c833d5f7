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
    assert claims["exp"] - int(claims["iat"]) == 15 * 60

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


# --- revocation list ------------------------------------------------------------------------------------------------
def test_revocation_list_ends_a_session_or_a_persons_earlier_tokens():
    import uuid as _uuid

    from operational.kit.auth import RevocationList

    revoked = RevocationList(keep_seconds=900)
    alice, bob, phone, laptop = (_uuid.uuid4() for _ in range(4))
    now = time.time()
    revoked.revoke(user_id=alice, session_id=phone, revoked_at=now)
    assert revoked.is_revoked(alice, phone, now - 5)  # every token of the logged-out session
    assert revoked.is_revoked(alice, phone, now + 5)
    assert not revoked.is_revoked(alice, laptop, now - 5)  # another sign-in of the same person is untouched

    revoked.revoke(user_id=bob, session_id=None, revoked_at=now)
    assert revoked.is_revoked(bob, laptop, now - 0.000_001)  # issued a microsecond before: revoked
    assert not revoked.is_revoked(bob, laptop, now + 0.000_001)  # signed in again after: valid
    assert not revoked.is_revoked(bob, None, now + 1)


def test_revocation_list_forgets_entries_no_live_token_can_match():
    import uuid as _uuid

    from operational.kit.auth import RevocationList

    revoked = RevocationList(keep_seconds=60)
    old, recent = _uuid.uuid4(), _uuid.uuid4()
    revoked.revoke(user_id=old, session_id=None, revoked_at=time.time() - 120)  # longer ago than any token lives
    revoked.revoke(user_id=recent, session_id=None, revoked_at=time.time())
    assert len(revoked) == 1 and revoked.is_revoked(recent, None, time.time() - 1)


# --- the club's today -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("time_zone", "utc_instant", "expected"),
    [
        ("Europe/Stockholm", "2026-03-14T23:30:00+00:00", "2026-03-15"),  # 00:30 in Stockholm (CET)
        ("Europe/Stockholm", "2026-07-14T22:30:00+00:00", "2026-07-15"),  # 00:30 in Stockholm (CEST)
        ("UTC", "2026-03-14T23:30:00+00:00", "2026-03-14"),
        ("America/Los_Angeles", "2026-03-15T05:00:00+00:00", "2026-03-14"),
        ("Not/A_Zone", "2026-03-14T23:30:00+00:00", "2026-03-14"),  # unknown: UTC
    ],
)
def test_today_is_the_clubs_date(time_zone, utc_instant, expected):
    from datetime import datetime

    from operational.kit.auth import today_in

    assert today_in(time_zone, datetime.fromisoformat(utc_instant)).isoformat() == expected


# --- client address -------------------------------------------------------------------------------------------------
SECRET = "X-Hub-Proxy-Secret"


def _request(peer: str, headers: dict[str, str], *, proxies: str = "", secret: str | None = None):
    from types import SimpleNamespace

    from starlette.requests import Request

    from operational.kit.config import HubSettings

    settings = HubSettings(trusted_proxies=proxies, proxy_secret=secret)
    app = SimpleNamespace(state=SimpleNamespace(settings=settings))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": (peer, 50000),
        "app": app,
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("peer", "headers", "proxies", "secret", "expected"),
    [
        # nobody is trusted by default, loopback included: a client cannot pick its own address
        ("127.0.0.1", {"X-Forwarded-For": "198.51.100.9"}, "", None, "127.0.0.1"),
        ("203.0.113.5", {"X-Forwarded-For": "198.51.100.9"}, "", None, "203.0.113.5"),
        # a configured proxy: the nearest address that is not one of our proxies
        ("10.0.0.2", {"X-Forwarded-For": "198.51.100.9"}, "10.0.0.0/8", None, "198.51.100.9"),
        ("10.0.0.2", {"X-Forwarded-For": "1.2.3.4, 198.51.100.9, 10.0.0.7"}, "10.0.0.0/8", None, "198.51.100.9"),
        ("10.0.0.2", {"X-Forwarded-For": "not-an-address"}, "10.0.0.0/8", None, "10.0.0.2"),
        ("10.0.0.2", {}, "10.0.0.0/8", None, "10.0.0.2"),
        # the dashboards: any peer, but only with the proxy secret
        ("127.0.0.1", {"X-Forwarded-For": "198.51.100.9", SECRET: "s3cret"}, "", "s3cret", "198.51.100.9"),
        ("127.0.0.1", {"X-Forwarded-For": "198.51.100.9", SECRET: "guess"}, "", "s3cret", "127.0.0.1"),
        ("127.0.0.1", {"X-Forwarded-For": "198.51.100.9", SECRET: ""}, "", None, "127.0.0.1"),
    ],
)
def test_client_address_believes_forwarded_headers_only_from_trusted_proxies(peer, headers, proxies, secret, expected):
    from operational.kit.auth import client_address

    assert client_address(_request(peer, headers, proxies=proxies, secret=secret)) == expected


def test_trusted_proxies_setting_is_a_comma_separated_list_of_networks(monkeypatch):
    from ipaddress import ip_network

    from pydantic import ValidationError

    from operational.kit.config import HubSettings

    monkeypatch.setenv("HUB_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5")
    assert HubSettings().trusted_proxies == [ip_network("10.0.0.0/8"), ip_network("192.168.1.5/32")]
    monkeypatch.setenv("HUB_TRUSTED_PROXIES", "everyone")
    with pytest.raises(ValidationError, match="HUB_TRUSTED_PROXIES"):
        HubSettings()
