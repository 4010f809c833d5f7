"""Access tokens: signed by the users service with an Ed25519 key, verified locally by every service.

Only EdDSA is accepted, so ``alg: none`` and HMAC-with-the-public-key forgeries fail before any claim is read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from operational.kit.errors import Unauthorized

ALGORITHM = "EdDSA"
ROLES = ("platform_admin", "club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent")
STAFF_ROLES = frozenset({"club_admin", "coach", "physical_trainer"})


ACCESS_SCOPE = "access"
TOTP_ENROLL_SCOPE = "totp_enroll"  # a password-only sign-in of someone who must first set up a second factor


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the token says: the only identity a service trusts."""

    user_id: uuid.UUID
    org_id: uuid.UUID
    roles: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    lang: str = "en"
    # Minors this person may act for as their guardian (parents).
    guardian_of: frozenset[uuid.UUID] = field(default_factory=frozenset)
    mfa: bool = False
    scope: str = ACCESS_SCOPE
    time_zone: str = "UTC"  # the club's, so every service agrees on what "today" is

    def today(self) -> date:
        try:
            return datetime.now(ZoneInfo(self.time_zone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            return datetime.now(UTC).date()

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def acts_for(self, user_id: uuid.UUID) -> bool:
        """True for the person themself and for their guardian."""
        return user_id == self.user_id or user_id in self.guardian_of


def generate_key_pair(directory: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair (private key readable by the owner only) unless one exists."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path, public_path = directory / "jwt_private.pem", directory / "jwt_public.pem"
    if private_path.exists() and public_path.exists():
        return private_path, public_path
    key = Ed25519PrivateKey.generate()
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return private_path, public_path


@lru_cache(maxsize=8)
def _load_public_key(pem: bytes):
    return serialization.load_pem_public_key(pem)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@lru_cache(maxsize=8)
def public_jwk(pem: bytes) -> dict[str, str]:
    """The public key as a JWK, with its RFC 7638 thumbprint as ``kid``."""
    raw = _load_public_key(pem).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = _b64url(raw)
    thumbprint = _b64url(
        hashlib.sha256(
            json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True).encode()
        ).digest()
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumbprint, "use": "sig", "alg": ALGORITHM}


def jwks(public_key_pems: list[bytes]) -> dict:
    return {"keys": [public_jwk(pem) for pem in public_key_pems]}


@lru_cache(maxsize=8)
def _load_private_key(pem: bytes):
    return serialization.load_pem_private_key(pem, password=None)


def issue_access_token(
    principal: Principal, *, private_key_pem: bytes, issuer: str, audience: str, minutes: int = 15
) -> str:
    now = datetime.now(UTC)
    private_key = _load_private_key(private_key_pem)
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {
        "sub": str(principal.user_id),
        "org_id": str(principal.org_id),
        "roles": sorted(principal.roles),
        "team_ids": sorted(str(t) for t in principal.team_ids),
        "guardian_of": sorted(str(m) for m in principal.guardian_of),
        "mfa": principal.mfa,
        "scope": principal.scope,
        "tz": principal.time_zone,
        "lang": principal.lang,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=minutes),
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": public_jwk(public_pem)["kid"]})


def verify_access_token(
    token: str, *, public_key_pem: bytes, issuer: str, audience: str, scope: str = ACCESS_SCOPE
) -> Principal:
    try:
        decoded = jwt.decode_complete(
            token,
            _load_public_key(public_key_pem),
            algorithms=[ALGORITHM],
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
        kid = decoded["header"].get("kid")
        if kid is not None and kid != public_jwk(public_key_pem)["kid"]:
            raise jwt.InvalidTokenError("signed by a key this service does not know")
        claims = decoded["payload"]
        principal = Principal(
            user_id=uuid.UUID(claims["sub"]),
            org_id=uuid.UUID(claims["org_id"]),
            roles=frozenset(claims.get("roles", ())),
            team_ids=frozenset(uuid.UUID(t) for t in claims.get("team_ids", ())),
            lang=claims.get("lang", "en"),
            guardian_of=frozenset(uuid.UUID(m) for m in claims.get("guardian_of", ())),
            mfa=bool(claims.get("mfa", False)),
            scope=claims.get("scope", ACCESS_SCOPE),
            time_zone=claims.get("tz", "UTC"),
        )
        if principal.scope != scope:
            raise jwt.InvalidTokenError(f"token scope {principal.scope!r} is not valid here")
        return principal
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired; log in again or refresh it.") from exc
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise Unauthorized("The access token is not valid.") from exc


_bearer = HTTPBearer(auto_error=False)


def _principal_dependency(scope: str):
    async def current_principal(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> Principal:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthorized()
        settings = request.app.state.settings
        return verify_access_token(
            credentials.credentials,
            public_key_pem=settings.public_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            scope=scope,
        )

    return current_principal


CurrentUser = Annotated[Principal, Depends(_principal_dependency(ACCESS_SCOPE))]
# Only for the second-factor set-up endpoints, which a password-only sign-in may reach.
EnrollingUser = Annotated[Principal, Depends(_principal_dependency(TOTP_ENROLL_SCOPE))]
