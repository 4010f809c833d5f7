"""Tokens verified once per process: a token seen before skips the signature check, yet expires on time and is
refused the moment its session or its holder's sessions are revoked."""

from __future__ import annotations

import time
import uuid

import pytest

from operational.kit.auth import Principal, RevocationList, VerifiedTokens, issue_access_token, verify_access_token
from operational.kit.errors import Unauthorized

ISSUER = AUDIENCE = "hockey-hub"


@pytest.fixture(scope="module")
def keys(key_dir):
    return (key_dir / "jwt_private.pem").read_bytes(), (key_dir / "jwt_public.pem").read_bytes()


def _principal() -> Principal:
    return Principal(user_id=uuid.uuid4(), org_id=uuid.uuid4(), roles=frozenset({"coach"}), session_id=uuid.uuid4())


def _token(keys, principal: Principal, minutes: float = 15) -> str:
    return issue_access_token(principal, private_key_pem=keys[0], issuer=ISSUER, audience=AUDIENCE, minutes=minutes)


def _verify(token: str, public_pem: bytes, verified: VerifiedTokens, revocations: RevocationList | None = None):
    return verify_access_token(
        token, public_key_pem=public_pem, issuer=ISSUER, audience=AUDIENCE, revocations=revocations, verified=verified
    )


def test_a_token_seen_before_is_not_verified_again(keys):
    verified, principal = VerifiedTokens(), _principal()
    token = _token(keys, principal)
    assert _verify(token, keys[1], verified) == principal
    assert len(verified) == 1
    # answered from the cache: the key is not even read a second time (a key that cannot verify anything still works)
    assert _verify(token, b"not a key", verified) == principal
    with pytest.raises(Unauthorized):  # a token never seen goes through the full check, and fails it
        _verify(_token(keys, _principal()), b"not a key", verified)


def test_a_token_that_failed_is_not_kept(keys):
    verified = VerifiedTokens()
    token = _token(keys, _principal())
    with pytest.raises(Unauthorized):
        _verify(token[:-4] + "AAAA", keys[1], verified)
    assert len(verified) == 0


def test_a_cached_token_expires_when_its_exp_says(keys):
    verified, principal = VerifiedTokens(), _principal()
    token = _token(keys, principal, minutes=1 / 60)  # one second
    assert _verify(token, keys[1], verified) == principal
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            _verify(token, keys[1], verified)
        except Unauthorized as exc:
            assert "expired" in exc.message
            break
    else:
        pytest.fail("a one-second token was still accepted after five seconds")
    assert len(verified) == 0


def test_the_cache_answers_nothing_at_or_after_expiry():
    verified, principal = VerifiedTokens(), _principal()
    verified.put("t", "access", principal, issued_at=100.0, expires_at=200.0)
    assert verified.get("t", "access", now=199.9) == (principal, 100.0)
    assert verified.get("t", "other_scope", now=150.0) is None  # verified for one scope, not for another
    assert verified.get("t", "access", now=200.0) is None
    assert len(verified) == 0


@pytest.mark.parametrize("revoke", ["session", "person"])
def test_a_cached_token_is_refused_once_revoked(keys, revoke):
    verified, revocations, principal = VerifiedTokens(), RevocationList(), _principal()
    token = _token(keys, principal)
    assert _verify(token, keys[1], verified, revocations) == principal
    assert _verify(token, keys[1], verified, revocations) == principal  # from the cache
    session_id = principal.session_id if revoke == "session" else None
    revocations.revoke(user_id=principal.user_id, session_id=session_id, revoked_at=time.time())
    with pytest.raises(Unauthorized) as refused:
        _verify(token, keys[1], verified, revocations)
    assert "sign in again" in refused.value.message
    newer = _token(keys, Principal(user_id=principal.user_id, org_id=principal.org_id, session_id=uuid.uuid4()))
    assert _verify(newer, keys[1], verified, revocations).user_id == principal.user_id  # a new sign-in works


def test_the_cache_is_bounded_and_forgets_the_oldest_first():
    verified = VerifiedTokens(max_entries=2)
    for name in ("a", "b", "c"):
        verified.put(name, "access", _principal(), issued_at=0.0, expires_at=time.time() + 60)
    assert len(verified) == 2
    now = time.time()
    assert verified.get("a", "access", now) is None
    assert verified.get("b", "access", now) is not None and verified.get("c", "access", now) is not None
