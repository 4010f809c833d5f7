"""Access tokens: signed by the users service with an Ed25519 key, verified locally by every service.

Only EdDSA is accepted, so ``alg: none`` and HMAC-with-the-public-key forgeries fail before any claim is read.
A token is also refused once its session (``sid``, one sign-in) or its holder's sessions were revoked (logout,
sign-out everywhere, deactivation, erasure, a new password): every API process keeps a :class:`RevocationList`, fed by
``users.sessions.revoked`` events and, in the process that revokes, updated at once.

A process verifies a token's signature and claims once: :class:`VerifiedTokens` keeps what a token said until it
expires, so the next request with it costs a dictionary lookup; the revocation list is still asked on every request.

Also here: the club's "today" (:func:`today_in`) and who is on the other end of a request (:func:`client_address`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from operational.kit.config import PROXY_SECRET_FILE
from operational.kit.errors import Unauthorized

ALGORITHM = "EdDSA"
ROLES = ("platform_admin", "club_admin", "coach", "physical_trainer", "medical_staff", "player", "parent")
STAFF_ROLES = frozenset({"club_admin", "coach", "physical_trainer"})


ACCESS_SCOPE = "access"
TOTP_ENROLL_SCOPE = "totp_enroll"  # a password-only sign-in of someone who must first set up a second factor


def today_in(time_zone: str, now: datetime | None = None) -> date:
    """The date in ``time_zone`` (an IANA name) at ``now`` (default: this instant); UTC for an unknown zone."""
    now = now or datetime.now(UTC)
    try:
        return now.astimezone(ZoneInfo(time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(UTC).date()


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
    # The sign-in this token belongs to (its refresh-token family); logging out revokes it.
    session_id: uuid.UUID | None = None

    def today(self) -> date:
        return today_in(self.time_zone)

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def acts_for(self, user_id: uuid.UUID) -> bool:
        """True for the person themself and for their guardian."""
        return user_id == self.user_id or user_id in self.guardian_of


def generate_key_pair(directory: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair (private key readable by the owner only) unless one exists, and the proxy secret
    (:func:`generate_proxy_secret`)."""
    directory.mkdir(parents=True, exist_ok=True)
    generate_proxy_secret(directory)
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


def generate_proxy_secret(directory: Path) -> Path:
    """Write the secret an application presents to forward its users' addresses (readable by the owner only)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / PROXY_SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(32))
    return path


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
        # to the microsecond (RFC 7519 allows fractions), so a revocation and a new sign-in in the same second are
        # told apart
        "iat": now.timestamp(),
        "nbf": now,
        "exp": now + timedelta(minutes=minutes),
        "jti": str(uuid.uuid4()),
    }
    if principal.session_id is not None:
        claims["sid"] = str(principal.session_id)
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": public_jwk(public_pem)["kid"]})


class RevocationList:
    """Access tokens that stopped working before they expire, held in memory: looking one up is two dict lookups.

    Two kinds of entries: a session (one sign-in, the token's ``sid``) whose every token is revoked, and a person
    whose tokens issued before a moment are revoked (sign-out everywhere, deactivation, erasure, a new password).
    An entry is forgotten once every token it could match has expired (``keep_seconds``, the longest token life).
    """

    def __init__(self, keep_seconds: float = 15 * 60):
        self.keep_seconds = keep_seconds
        self._sessions: dict[uuid.UUID, float] = {}
        self._people: dict[uuid.UUID, float] = {}
        self._next_prune = 0.0

    def revoke(self, *, user_id: uuid.UUID, session_id: uuid.UUID | None, revoked_at: float) -> None:
        """``session_id`` None: every token of ``user_id`` issued before ``revoked_at`` (Unix seconds)."""
        entries, key = (self._sessions, session_id) if session_id is not None else (self._people, user_id)
        entries[key] = max(entries.get(key, revoked_at), revoked_at)
        now = time.time()
        if now >= self._next_prune:
            self._prune(now)

    def is_revoked(self, user_id: uuid.UUID, session_id: uuid.UUID | None, issued_at: float) -> bool:
        if session_id is not None and session_id in self._sessions:
            return True
        before = self._people.get(user_id)
        return before is not None and issued_at < before

    def __len__(self) -> int:
        return len(self._sessions) + len(self._people)

    def _prune(self, now: float) -> None:
        cutoff = now - self.keep_seconds
        for entries in (self._sessions, self._people):
            for key in [key for key, at in entries.items() if at < cutoff]:
                del entries[key]
        self._next_prune = now + 60


# The revocation list of the app serving the current request, so the service that revokes applies it at once.
_local_revocations: ContextVar[RevocationList | None] = ContextVar("hub_local_revocations", default=None)


async def bind_local_revocations(request: Request) -> None:
    """Router dependency of the service that revokes sessions: what it revokes applies in this process at once, so
    the very next request with such a token is refused (other processes learn it from the event)."""
    _local_revocations.set(getattr(request.app.state, "revocations", None))


def revoke_locally(*, user_id: uuid.UUID, session_id: uuid.UUID | None, revoked_at: datetime) -> None:
    revocations = _local_revocations.get()
    if revocations is not None:
        revocations.revoke(user_id=user_id, session_id=session_id, revoked_at=revoked_at.timestamp())


class VerifiedTokens:
    """Tokens this process has verified, with who they name, until they expire: at most ``max_entries`` (the oldest
    verified is forgotten first), so a flood of distinct tokens costs memory once and then only the full check.

    Only what the signature proves is kept (the claims); whether the token was revoked since is asked of the
    :class:`RevocationList` on every request, and a token is never answered from here at or after its ``exp``. A
    token that failed verification is not kept: it fails again the slow way. One cache per app, whose key, issuer
    and audience do not change while it runs.
    """

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], tuple[Principal, float, float]] = {}

    def get(self, token: str, scope: str, now: float) -> tuple[Principal, float] | None:
        """The principal and ``iat`` (Unix seconds) of a verified, unexpired ``token``; None otherwise."""
        entry = self._entries.get((token, scope))
        if entry is None:
            return None
        principal, issued_at, expires_at = entry
        if now >= expires_at:
            del self._entries[(token, scope)]
            return None
        return principal, issued_at

    def put(self, token: str, scope: str, principal: Principal, issued_at: float, expires_at: float) -> None:
        if len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]
        self._entries[(token, scope)] = (principal, issued_at, expires_at)

    def __len__(self) -> int:
        return len(self._entries)


def verify_access_token(
    token: str,
    *,
    public_key_pem: bytes,
    issuer: str,
    audience: str,
    scope: str = ACCESS_SCOPE,
    revocations: RevocationList | None = None,
    verified: VerifiedTokens | None = None,
) -> Principal:
    """Who ``token`` names, once its signature, issuer, audience, scope, expiry and revocation are checked.

    With ``verified``, a token seen before (and not yet expired) skips the signature and claim checks; revocation is
    checked every time. Raises :class:`Unauthorized` (401) for anything else."""
    now = time.time()
    cached = verified.get(token, scope, now) if verified is not None else None
    if cached is not None:
        principal, issued_at = cached
        _refuse_revoked(principal, issued_at, revocations)
        return principal
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
            session_id=uuid.UUID(claims["sid"]) if claims.get("sid") else None,
        )
        if principal.scope != scope:
            raise jwt.InvalidTokenError(f"token scope {principal.scope!r} is not valid here")
        issued_at, expires_at = float(claims["iat"]), float(claims["exp"])
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired; log in again or refresh it.") from exc
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise Unauthorized("The access token is not valid.") from exc
    _refuse_revoked(principal, issued_at, revocations)
    if verified is not None:
        verified.put(token, scope, principal, issued_at, expires_at)
    return principal


def _refuse_revoked(principal: Principal, issued_at: float, revocations: RevocationList | None) -> None:
    if revocations is not None and revocations.is_revoked(principal.user_id, principal.session_id, issued_at):
        raise Unauthorized("This session has ended (signed out or the password changed); sign in again.")


class _BearerPrincipal(HTTPBearer):
    """Who the request's bearer token names, verified for ``scope``: the bearer scheme and the check of its token as
    one dependency (one to solve per request, not a scheme and a dependency on it), documented as the same
    ``HTTPBearer`` scheme. No token, or another scheme than Bearer: 401."""

    def __init__(self, scope: str):
        super().__init__(auto_error=False, scheme_name="HTTPBearer")
        self.scope = scope

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        scheme, _, credentials = (request.headers.get("authorization") or "").partition(" ")
        credentials = credentials.strip()
        if not credentials or scheme.lower() != "bearer":
            raise Unauthorized()
        state = request.app.state
        settings = state.settings
        return verify_access_token(
            credentials,
            public_key_pem=settings.public_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            scope=self.scope,
            revocations=getattr(state, "revocations", None),
            verified=getattr(state, "verified_tokens", None),
        )


CurrentUser = Annotated[Principal, Depends(_BearerPrincipal(ACCESS_SCOPE))]
# Only for the second-factor set-up endpoints, which a password-only sign-in may reach.
EnrollingUser = Annotated[Principal, Depends(_BearerPrincipal(TOTP_ENROLL_SCOPE))]


# --- who is on the other end ----------------------------------------------------------------------------------------
FORWARDED_FOR_HEADER = "x-forwarded-for"
PROXY_SECRET_HEADER = "x-hub-proxy-secret"


def _in_networks(address: str, networks: list[IPv4Network | IPv6Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def _is_ip(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: Request) -> str | None:
    """The address of the person making the request, for per-address limits.

    The connection's peer, unless the peer is a proxy of ``HUB_TRUSTED_PROXIES`` (then the nearest address in
    ``X-Forwarded-For`` that is not one of those proxies) or an application presenting the proxy secret in
    ``X-Hub-Proxy-Secret`` (the dashboards; then the address it appended to ``X-Forwarded-For``). Anyone else's
    forwarded headers are ignored: a client cannot choose the address it is counted under.
    """
    peer = request.client.host if request.client else None
    hops = [hop.strip() for value in request.headers.getlist(FORWARDED_FOR_HEADER) for hop in value.split(",")]
    hops = [hop for hop in hops if hop]
    if peer is None or not hops:
        return peer
    settings = request.app.state.settings
    proxies = settings.trusted_proxies
    if proxies and _in_networks(peer, proxies):
        for hop in reversed(hops):
            if not _is_ip(hop):
                return peer  # a hop we cannot read: count the request under the proxy, not a made-up address
            if not _in_networks(hop, proxies):
                return hop
        return hops[0]
    secret, presented = settings.proxy_secret_value, request.headers.get(PROXY_SECRET_HEADER)
    if secret and presented and hmac.compare_digest(presented.encode(), secret.encode()) and _is_ip(hops[-1]):
        return hops[-1]
    return peer
