"""Sessions: what a token says about its holder, issuing token pairs, and ending sessions.

A session is one sign-in: a family of rotating refresh tokens whose id every access token carries (``sid``). Ending
sessions (:func:`end_session`, :func:`revoke_all_sessions`) ends their access tokens at once too: a
``users.sessions.revoked`` event tells every API process, and this process applies it before the response is sent.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import (
    ACCESS_SCOPE,
    TOTP_ENROLL_SCOPE,
    Principal,
    issue_access_token,
    revoke_locally,
    today_in,
)
from operational.kit.errors import Forbidden, NotFound
from operational.users import events, repository
from operational.users.config import UsersSettings
from operational.users.models import RefreshToken, User, outbox
from operational.users.schemas import TokenPair

ENROLLMENT_TOKEN_MINUTES = 10
ADULT_AGE = 18


class ClubSuspended(Forbidden):
    code = "club_suspended"


async def ensure_club_open(session: AsyncSession, user: User) -> None:
    """No token for anyone of a suspended club: sign-in, refresh, accepting an invitation all end here."""
    org = await repository.get_organization(session, user.org_id)
    if org is not None and org.suspended_at is not None:
        raise ClubSuspended(f"{org.name} is suspended on Hockey Hub, so no one can sign in; its data is kept.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


async def principal_for(
    session: AsyncSession,
    user: User,
    *,
    mfa: bool = False,
    scope: str = ACCESS_SCOPE,
    session_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Principal:
    """What a token for ``user`` says: roles, teams, and the minors they act for on the club's today."""
    memberships = await repository.memberships_of(session, user.id)
    links = await repository.active_guardian_links(session, guardian_id=user.id)
    org = await repository.get_organization(session, user.org_id)
    time_zone = org.time_zone if org else "UTC"
    today = today_in(time_zone, now)
    minors = set()
    for link in links:
        minor = await repository.get_user(session, user.org_id, link.minor_id)
        adult = minor is None or (minor.date_of_birth is not None and age_on(minor.date_of_birth, today) >= ADULT_AGE)
        # an adult athlete's data is theirs alone unless they agreed to keep their parent's access
        if minor is not None and minor.is_active and (not adult or link.athlete_consented_at is not None):
            minors.add(minor.id)
    return Principal(
        time_zone=time_zone,
        user_id=user.id,
        org_id=user.org_id,
        roles=frozenset(user.org_roles) | {m.role for m in memberships},
        team_ids=frozenset(m.team_id for m in memberships),
        lang=user.language,
        guardian_of=frozenset(minors),
        mfa=mfa,
        scope=scope,
        session_id=session_id,
    )


def access_token(settings: UsersSettings, principal: Principal, minutes: int | None = None) -> str:
    return issue_access_token(
        principal,
        private_key_pem=settings.private_key_pem,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        minutes=minutes or settings.access_token_minutes,
    )


async def new_refresh_token(
    session: AsyncSession, settings: UsersSettings, user: User, *, family_id: uuid.UUID, mfa: bool
) -> str:
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await repository.add(
        session,
        RefreshToken(
            id=uuid.uuid4(),
            family_id=family_id,
            user_id=user.id,
            token_hash=token_hash(token),
            mfa=mfa,
            issued_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        ),
    )
    return token


async def token_pair(
    session, settings, user: User, *, family_id: uuid.UUID, mfa: bool, signed_in: str | None = None
) -> TokenPair:
    """Tokens for ``user``'s session ``family_id``. ``signed_in`` ("password", "invitation"): this starts a new
    session, announced as ``users.session.signed_in`` for usage analytics."""
    await ensure_club_open(session, user)
    principal = await principal_for(session, user, mfa=mfa, session_id=family_id)
    if signed_in is not None:
        await outbox.record(session, events.session_signed_in(principal, method=signed_in))
    return TokenPair(
        access_token=access_token(settings, principal),
        refresh_token=await new_refresh_token(session, settings, user, family_id=family_id, mfa=mfa),
        expires_in=settings.access_token_minutes * 60,
    )


async def enrollment_answer(session, settings, user: User) -> TokenPair:
    """A short token that can only set up a second factor (no refresh token)."""
    await ensure_club_open(session, user)
    principal = await principal_for(session, user, scope=TOTP_ENROLL_SCOPE)
    return TokenPair(
        access_token=access_token(settings, principal, ENROLLMENT_TOKEN_MINUTES),
        expires_in=ENROLLMENT_TOKEN_MINUTES * 60,
        scope=TOTP_ENROLL_SCOPE,
    )


# --- ending sessions ------------------------------------------------------------------------------------------------
async def _sessions_revoked(
    session: AsyncSession, user: User, *, session_id: uuid.UUID | None, reason: str, actor_id, now: datetime
) -> None:
    await outbox.record(
        session, events.sessions_revoked(user, session_id=session_id, revoked_at=now, reason=reason, actor_id=actor_id)
    )
    revoke_locally(user_id=user.id, session_id=session_id, revoked_at=now)


async def end_session(
    session: AsyncSession, user: User, family_id: uuid.UUID, *, reason: str, actor_id: uuid.UUID | None
) -> None:
    """One sign-in ends: its refresh tokens and its access tokens."""
    now = datetime.now(UTC)
    await repository.revoke_refresh_tokens(session, family_id=family_id, reason=reason, now=now)
    await _sessions_revoked(session, user, session_id=family_id, reason=reason, actor_id=actor_id, now=now)


async def revoke_all_sessions(
    session: AsyncSession, user: User, *, reason: str = "revoke_all", actor_id: uuid.UUID | None = None
) -> int:
    """Every sign-in of ``user`` ends: refresh tokens, and access tokens issued until now. Returns how many refresh
    tokens were still live."""
    now = datetime.now(UTC)
    revoked = await repository.revoke_refresh_tokens(session, user_id=user.id, reason=reason, now=now)
    await _sessions_revoked(session, user, session_id=None, reason=reason, actor_id=actor_id, now=now)
    return revoked


async def sign_out_everywhere(session: AsyncSession, principal: Principal) -> None:
    await revoke_all_sessions(session, await own_account(session, principal), actor_id=principal.user_id)


async def own_account(session: AsyncSession, principal: Principal) -> User:
    user = await repository.get_user(session, principal.org_id, principal.user_id)
    if user is None or not user.is_active:
        raise NotFound("Your account no longer exists.")
    return user
