"""Sign-in, tokens and second factors. Never commits: the request's unit of work does.

Refresh tokens are opaque random strings (only their hash is stored) that rotate on every use. Each belongs to a
family started at sign-in; presenting a token that was already used means it was copied, and the whole family is
revoked (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import ACCESS_SCOPE, TOTP_ENROLL_SCOPE, Principal, issue_access_token
from operational.kit.errors import Conflict, HubError, NotFound, Unauthorized
from operational.users import events, passwords, repository, throttle, totp
from operational.users.config import UsersSettings
from operational.users.models import OneTimeToken, RefreshToken, User, outbox
from operational.users.schemas import TokenPair, TotpSetup

ENROLLMENT_TOKEN_MINUTES = 10


class RefreshTokenReused(Unauthorized):
    code = "refresh_token_reused"
    keep_changes = True  # the revocation must stick although the request fails


class InvalidSecondFactor(Unauthorized):
    code = "totp_invalid"
    keep_changes = True


class SecondFactorRequired(HubError):
    status_code = 401
    code = "totp_required"


class SecondFactorEnrollmentRequired(HubError):
    status_code = 403
    code = "totp_enrollment_required"


def password_hasher(settings: UsersSettings):
    return passwords.hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validate_new_password(settings: UsersSettings, password: str, *, field: str = "password") -> None:
    if len(password) < settings.password_min_length:
        raise HubError(f"Choose a password of at least {settings.password_min_length} characters.", field=field)


async def hash_new_password(settings: UsersSettings, password: str) -> str:
    return await asyncio.to_thread(passwords.hash_password, password_hasher(settings), password)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


async def principal_for(session: AsyncSession, user: User, *, mfa: bool = False, scope: str = ACCESS_SCOPE):
    memberships = await repository.memberships_of(session, user.id)
    links = await repository.active_guardian_links(session, guardian_id=user.id)
    today = datetime.now(UTC).date()
    minors = set()
    for link in links:
        minor = await repository.get_user(session, user.org_id, link.minor_id)
        adult = minor is None or (minor.date_of_birth is not None and age_on(minor.date_of_birth, today) >= 18)
        # an adult athlete's data is theirs alone unless they agreed to keep their parent's access
        if minor is not None and minor.is_active and (not adult or link.athlete_consented_at is not None):
            minors.add(minor.id)
    org = await repository.get_organization(session, user.org_id)
    return Principal(
        time_zone=org.time_zone if org else "UTC",
        user_id=user.id,
        org_id=user.org_id,
        roles=frozenset(user.org_roles) | {m.role for m in memberships},
        team_ids=frozenset(m.team_id for m in memberships),
        lang=user.language,
        guardian_of=frozenset(minors),
        mfa=mfa,
        scope=scope,
    )


def _access_token(settings: UsersSettings, principal: Principal, minutes: int | None = None) -> str:
    return issue_access_token(
        principal,
        private_key_pem=settings.private_key_pem,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        minutes=minutes or settings.access_token_minutes,
    )


async def _new_refresh_token(
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


async def _token_pair(session, settings, user: User, *, family_id: uuid.UUID, mfa: bool) -> TokenPair:
    principal = await principal_for(session, user, mfa=mfa)
    return TokenPair(
        access_token=_access_token(settings, principal),
        refresh_token=await _new_refresh_token(session, settings, user, family_id=family_id, mfa=mfa),
        expires_in=settings.access_token_minutes * 60,
    )


async def _second_factor_required(session: AsyncSession, user: User) -> bool:
    if user.totp_enabled_at is not None:
        return True
    org = await repository.get_organization(session, user.org_id)
    principal = await principal_for(session, user)
    return bool(org and set(org.mfa_required_roles) & principal.roles)


async def verify_credentials(session: AsyncSession, settings: UsersSettings, email: str, password: str) -> User | None:
    ph = password_hasher(settings)
    user = await repository.get_user_by_email(session, email)
    stored = user.password_hash if user and user.password_hash else passwords.dummy_hash(ph)
    # verified even for unknown e-mails, so a wrong address costs as long as a wrong password
    valid = await asyncio.to_thread(passwords.verify_password, ph, stored, password)
    if user is None or not valid or not user.is_active or user.password_hash is None:
        return None
    return user


async def sign_in(
    session: AsyncSession,
    settings: UsersSettings,
    email: str,
    password: str,
    totp_code: str | None,
    client_address: str | None,
) -> TokenPair:
    await throttle.ensure_allowed(session, settings, email, client_address)
    user = await verify_credentials(session, settings, email, password)
    if user is None:
        await throttle.record_failure(session, settings, email, client_address)
        raise Unauthorized("E-mail or password is wrong.", keep_changes=True)
    try:
        pair = await login(session, settings, user, totp_code)
    except InvalidSecondFactor:
        await throttle.record_failure(session, settings, email, client_address)  # six digits are guessable too
        raise
    await throttle.forget_account_failures(session, settings, email)  # only once both factors were right
    return pair


async def login(session: AsyncSession, settings: UsersSettings, user: User, totp_code: str | None) -> TokenPair:
    """Tokens for a user whose password was verified; the second factor is checked here."""
    if await _second_factor_required(session, user):
        if user.totp_enabled_at is None:
            principal = await principal_for(session, user, scope=TOTP_ENROLL_SCOPE)
            return TokenPair(
                access_token=_access_token(settings, principal, ENROLLMENT_TOKEN_MINUTES),
                expires_in=ENROLLMENT_TOKEN_MINUTES * 60,
                scope=TOTP_ENROLL_SCOPE,
            )
        if totp_code is None:
            raise SecondFactorRequired("Enter the 6-digit code from your authenticator app.", field="totp_code")
        secret = totp.decrypt_secret(user.totp_secret_encrypted, settings.totp_encryption_key)
        if not totp.verify(secret, totp_code):
            raise InvalidSecondFactor("That code is not valid; check your authenticator app's time.", field="totp_code")
        return await _token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=True)
    return await _token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=False)


async def refresh(session: AsyncSession, settings: UsersSettings, presented: str) -> TokenPair:
    now = datetime.now(UTC)
    stored = await repository.get_refresh_token_by_hash(session, token_hash(presented))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise Unauthorized("This session has ended; sign in again.")
    if stored.used_at is not None:
        # Reuse: someone holds a copy. Revoke the whole family — both the thief's and the owner's sessions end.
        await repository.revoke_refresh_tokens(session, family_id=stored.family_id, reason="reuse_detected", now=now)
        raise RefreshTokenReused("This refresh token was already used; every session started with it has ended.")
    stored.used_at = now
    user = await session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("This account is no longer active.")
    return await _token_pair(session, settings, user, family_id=stored.family_id, mfa=stored.mfa)


async def logout(session: AsyncSession, presented: str) -> None:
    stored = await repository.get_refresh_token_by_hash(session, token_hash(presented))
    if stored is not None:
        await repository.revoke_refresh_tokens(
            session, family_id=stored.family_id, reason="logout", now=datetime.now(UTC)
        )


async def revoke_all_sessions(session: AsyncSession, user_id: uuid.UUID, reason: str = "revoke_all") -> int:
    return await repository.revoke_refresh_tokens(session, user_id=user_id, reason=reason, now=datetime.now(UTC))


async def new_one_time_token(
    session: AsyncSession, user: User, purpose: str, lifetime: timedelta
) -> tuple[str, OneTimeToken]:
    now = datetime.now(UTC)
    await repository.expire_one_time_tokens(session, user.id, purpose, now)  # only the newest link works
    token = secrets.token_urlsafe(32)
    row = await repository.add(
        session,
        OneTimeToken(
            id=uuid.uuid4(), user_id=user.id, purpose=purpose, token_hash=token_hash(token), expires_at=now + lifetime
        ),
    )
    return token, row


async def use_one_time_token(session: AsyncSession, token: str, purpose: str) -> User:
    now = datetime.now(UTC)
    row = await repository.get_one_time_token(session, token_hash(token), purpose)
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise HubError("This link is no longer valid; ask for a new one.", field="token")
    row.used_at = now
    user = await session.get(User, row.user_id)
    if user is None or user.anonymized_at is not None:
        raise HubError("This link is no longer valid; ask for a new one.", field="token")
    return user


async def request_password_reset(session: AsyncSession, settings: UsersSettings, email: str) -> str | None:
    """The token (for comms to deliver); None when there is no such active account — the caller answers the same."""
    user = await repository.get_user_by_email(session, email)
    if user is None or not user.is_active or user.password_hash is None:
        return None
    lifetime = timedelta(minutes=settings.password_reset_minutes)
    token, row = await new_one_time_token(session, user, "password_reset", lifetime)
    await outbox.record(session, events.password_reset_requested(user, row.id, row.expires_at.date()))
    return token


async def reset_password(session: AsyncSession, settings: UsersSettings, token: str, new_password: str) -> None:
    validate_new_password(settings, new_password, field="new_password")
    user = await use_one_time_token(session, token, "password_reset")
    user.password_hash = await hash_new_password(settings, new_password)
    await revoke_all_sessions(session, user.id, reason="password_reset")


async def accept_invitation(session: AsyncSession, settings: UsersSettings, token: str, password: str) -> TokenPair:
    validate_new_password(settings, password)
    user = await use_one_time_token(session, token, "invitation")
    user.password_hash = await hash_new_password(settings, password)
    user.is_active = True
    return await login(session, settings, user, totp_code=None)


async def start_totp_setup(session: AsyncSession, settings: UsersSettings, principal: Principal) -> TotpSetup:
    user = await _own_account(session, principal)
    if user.totp_enabled_at is not None:
        raise Conflict("A second factor is already set up; turn it off first to replace it.")
    secret = totp.new_secret()
    user.totp_secret_encrypted = totp.encrypt_secret(secret, settings.totp_encryption_key)
    return TotpSetup(secret=secret, provisioning_uri=totp.provisioning_uri(secret, account=user.email))


async def confirm_totp(session: AsyncSession, settings: UsersSettings, principal: Principal, code: str) -> TokenPair:
    user = await _own_account(session, principal)
    if user.totp_secret_encrypted is None:
        raise HubError("Start the set-up first (POST /api/v1/auth/totp/setup).")
    if not totp.verify(totp.decrypt_secret(user.totp_secret_encrypted, settings.totp_encryption_key), code):
        raise HubError("That code is not valid; check your authenticator app's time.", field="code")
    user.totp_enabled_at = datetime.now(UTC)
    await revoke_all_sessions(session, user.id, reason="second_factor_enabled")
    return await _token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=True)


async def disable_totp(session: AsyncSession, settings: UsersSettings, principal: Principal, code: str) -> None:
    user = await _own_account(session, principal)
    if user.totp_enabled_at is None:
        raise NotFound("No second factor is set up.")
    if not totp.verify(totp.decrypt_secret(user.totp_secret_encrypted, settings.totp_encryption_key), code):
        raise HubError("That code is not valid.", field="code")
    org = await repository.get_organization(session, user.org_id)
    if org and set(org.mfa_required_roles) & principal.roles:
        raise HubError("Your club requires a second factor for your role.")
    user.totp_enabled_at, user.totp_secret_encrypted = None, None


async def _own_account(session: AsyncSession, principal: Principal) -> User:
    user = await repository.get_user(session, principal.org_id, principal.user_id)
    if user is None or not user.is_active:
        raise NotFound("Your account no longer exists.")
    return user
