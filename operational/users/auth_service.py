"""Sign-in, refresh, passwords, one-time links and second factors. Never commits: the request's unit of work does.

Refresh tokens are opaque random strings (only their hash is stored) that rotate on every use. Each belongs to a
family started at sign-in (a session, see :mod:`sessions`); presenting a token that was already used means it was
copied, and the whole family is revoked (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14).

A refresh re-checks the club's second-factor rule, so a rule made after sign-in is not dodged by refreshing; and a
TOTP code signs in once only.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, HubError, NotFound, Unauthorized
from operational.users import events, passwords, repository, sessions, throttle, totp
from operational.users.config import UsersSettings, account_link
from operational.users.models import OneTimeToken, User, outbox, private_outbox
from operational.users.schemas import TokenPair, TotpSetup


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


class ClubChoiceRequired(HubError):
    status_code = 409
    code = "club_required"


def password_hasher(settings: UsersSettings):
    return passwords.hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def validate_new_password(settings: UsersSettings, password: str, *, field: str = "password") -> None:
    if len(password) < settings.password_min_length:
        raise HubError(f"Choose a password of at least {settings.password_min_length} characters.", field=field)


async def hash_new_password(settings: UsersSettings, password: str) -> str:
    return await asyncio.to_thread(passwords.hash_password, password_hasher(settings), password)


async def _roles_of(session: AsyncSession, user: User) -> frozenset[str]:
    memberships = await repository.memberships_of(session, user.id)
    return frozenset(user.org_roles) | {m.role for m in memberships}


async def _second_factor_required(session: AsyncSession, user: User) -> bool:
    """The person turned a second factor on, or their club requires one for a role they hold now."""
    if user.totp_enabled_at is not None:
        return True
    org = await repository.get_organization(session, user.org_id)
    return bool(org and set(org.mfa_required_roles) & await _roles_of(session, user))


# --- signing in -----------------------------------------------------------------------------------------------------
async def verify_credentials(
    session: AsyncSession, settings: UsersSettings, email: str, password: str, club: str | None = None
) -> User | None:
    """The account the e-mail and password open, or None. An e-mail may have an account in several clubs; when the
    password opens more than one, the person names the club (``club``)."""
    ph = password_hasher(settings)
    accounts = [a for a in await repository.accounts_with_email(session, email, club_slug=club) if a.password_hash]
    if not accounts:
        # verified even for unknown e-mails, so a wrong address costs as long as a wrong password
        await asyncio.to_thread(passwords.verify_password, ph, passwords.dummy_hash(ph), password)
        return None
    opened = [
        account
        for account in accounts
        if await asyncio.to_thread(passwords.verify_password, ph, account.password_hash, password)
    ]
    opened = [account for account in opened if account.is_active]
    if len(opened) > 1:
        clubs = [await repository.get_organization(session, account.org_id) for account in opened]
        raise ClubChoiceRequired(
            "You have accounts in more than one club; choose the club to sign in to.",
            field="club",
            details=[{"club": org.slug, "name": org.name} for org in clubs if org is not None],
        )
    return opened[0] if opened else None


async def sign_in(
    session: AsyncSession,
    settings: UsersSettings,
    email: str,
    password: str,
    totp_code: str | None,
    client_address: str | None,
    club: str | None = None,
) -> TokenPair:
    await throttle.ensure_allowed(session, settings, email, client_address)
    user = await verify_credentials(session, settings, email, password, club)
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


async def _accept_code(session: AsyncSession, settings: UsersSettings, user: User, code: str) -> str | None:
    """None when ``code`` is the person's current code and was not used before; otherwise why it is refused."""
    secret = totp.decrypt_secret(user.totp_secret_encrypted, settings.totp_encryption_key)
    step = totp.matching_step(secret, code)
    if step is None:
        return "That code is not valid; check your authenticator app's time."
    if not await repository.accept_totp_step(session, user.id, step):
        return "That code was already used; wait for the next one in your authenticator app."
    return None


async def login(
    session: AsyncSession, settings: UsersSettings, user: User, totp_code: str | None, *, method: str = "password"
) -> TokenPair:
    """Tokens for a user whose password was verified; the second factor is checked here."""
    if await _second_factor_required(session, user):
        if user.totp_enabled_at is None:
            return await sessions.enrollment_answer(session, settings, user)
        if totp_code is None:
            raise SecondFactorRequired("Enter the 6-digit code from your authenticator app.", field="totp_code")
        if (refused := await _accept_code(session, settings, user, totp_code)) is not None:
            raise InvalidSecondFactor(refused, field="totp_code")
        return await sessions.token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=True, signed_in=method)
    return await sessions.token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=False, signed_in=method)


async def refresh(session: AsyncSession, settings: UsersSettings, presented: str) -> TokenPair:
    now = datetime.now(UTC)
    stored = await repository.get_refresh_token_by_hash(session, sessions.token_hash(presented))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise Unauthorized("This session has ended; sign in again.")
    user = await session.get(User, stored.user_id)
    if user is None:
        raise Unauthorized("This account is no longer active.")
    if stored.used_at is not None:
        # Reuse: someone holds a copy. Revoke the whole family — both the thief's and the owner's sessions end.
        await sessions.end_session(session, user, stored.family_id, reason="reuse_detected", actor_id=None)
        raise RefreshTokenReused("This refresh token was already used; every session started with it has ended.")
    stored.used_at = now
    if not user.is_active:
        raise Unauthorized("This account is no longer active.")
    if not stored.mfa and await _second_factor_required(session, user):
        # The club asked for a second factor after this sign-in (or the person turned one on): the password-only
        # session ends here, and the answer is what a sign-in would get now.
        await sessions.end_session(session, user, stored.family_id, reason="second_factor_required", actor_id=None)
        if user.totp_enabled_at is None:
            return await sessions.enrollment_answer(session, settings, user)
        raise SecondFactorRequired(
            "Your account now needs a second factor: sign in again with the code from your authenticator app.",
            keep_changes=True,
        )
    return await sessions.token_pair(session, settings, user, family_id=stored.family_id, mfa=stored.mfa)


async def logout(session: AsyncSession, presented: str) -> None:
    stored = await repository.get_refresh_token_by_hash(session, sessions.token_hash(presented))
    if stored is None or stored.revoked_at is not None:
        return
    user = await session.get(User, stored.user_id)
    if user is not None:
        await sessions.end_session(session, user, stored.family_id, reason="logout", actor_id=user.id)


async def change_password(
    session: AsyncSession,
    settings: UsersSettings,
    principal: Principal,
    current_password: str,
    new_password: str,
    client_address: str | None,
) -> TokenPair:
    """A new password: every other sign-in ends, and this one continues with new tokens."""
    user = await sessions.own_account(session, principal)
    await throttle.ensure_allowed(session, settings, user.email, client_address)
    ph = password_hasher(settings)
    if not user.password_hash or not await asyncio.to_thread(
        passwords.verify_password, ph, user.password_hash, current_password
    ):
        await throttle.record_failure(session, settings, user.email, client_address)
        raise HubError("Your current password is not right.", field="current_password", keep_changes=True)
    validate_new_password(settings, new_password, field="new_password")
    user.password_hash = await hash_new_password(settings, new_password)
    await sessions.revoke_all_sessions(session, user, reason="password_changed", actor_id=user.id)
    return await sessions.token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=principal.mfa)


# --- one-time links -------------------------------------------------------------------------------------------------
async def new_one_time_token(
    session: AsyncSession, user: User, purpose: str, lifetime: timedelta
) -> tuple[str, OneTimeToken]:
    now = datetime.now(UTC)
    await repository.revoke_one_time_tokens(session, user.id, now, purpose)  # only the newest link works
    token = secrets.token_urlsafe(32)
    row = await repository.add(
        session,
        OneTimeToken(
            id=uuid.uuid4(),
            user_id=user.id,
            purpose=purpose,
            token_hash=sessions.token_hash(token),
            expires_at=now + lifetime,
            created_at=now,
        ),
    )
    return token, row


async def use_one_time_token(session: AsyncSession, token: str, purpose: str) -> User:
    now = datetime.now(UTC)
    row = await repository.get_one_time_token(session, sessions.token_hash(token), purpose)
    if row is None or row.used_at is not None or row.revoked_at is not None or row.expires_at <= now:
        raise HubError("This link is no longer valid; ask for a new one.", field="token")
    row.used_at = now
    user = await session.get(User, row.user_id)
    if user is None or user.anonymized_at is not None or not user.is_active:
        raise HubError("This link is no longer valid; ask for a new one.", field="token")
    return user


async def request_password_reset(
    session: AsyncSession, settings: UsersSettings, email: str, club: str | None = None
) -> list[str]:
    """The links (for comms to deliver), one per active account of the e-mail (each names its club); none when there
    is no such account — the caller answers the same either way."""
    tokens = []
    for user in await repository.accounts_with_email(session, email, club_slug=club):
        if not user.is_active or user.password_hash is None:
            continue
        lifetime = timedelta(minutes=settings.password_reset_minutes)
        token, row = await new_one_time_token(session, user, "password_reset", lifetime)
        await outbox.record(session, events.password_reset_requested(user, row.id, row.expires_at.date()))
        link = account_link(settings, "password_reset", token)
        message = events.account_link_issued(user, row.id, "password_reset", link, row.expires_at.date())
        await private_outbox.record(session, message)
        tokens.append(token)
    return tokens


async def reset_password(session: AsyncSession, settings: UsersSettings, token: str, new_password: str) -> None:
    validate_new_password(settings, new_password, field="new_password")
    user = await use_one_time_token(session, token, "password_reset")
    user.password_hash = await hash_new_password(settings, new_password)
    await sessions.revoke_all_sessions(session, user, reason="password_reset", actor_id=user.id)


async def accept_invitation(session: AsyncSession, settings: UsersSettings, token: str, password: str) -> TokenPair:
    validate_new_password(settings, password)
    user = await use_one_time_token(session, token, "invitation")
    user.password_hash = await hash_new_password(settings, password)
    return await login(session, settings, user, totp_code=None, method="invitation")


# --- second factor --------------------------------------------------------------------------------------------------
async def start_totp_setup(session: AsyncSession, settings: UsersSettings, principal: Principal) -> TotpSetup:
    user = await sessions.own_account(session, principal)
    if user.totp_enabled_at is not None:
        raise Conflict("A second factor is already set up; turn it off first to replace it.")
    secret = totp.new_secret()
    user.totp_secret_encrypted = totp.encrypt_secret(secret, settings.totp_encryption_key)
    return TotpSetup(secret=secret, provisioning_uri=totp.provisioning_uri(secret, account=user.email))


async def confirm_totp(session: AsyncSession, settings: UsersSettings, principal: Principal, code: str) -> TokenPair:
    user = await sessions.own_account(session, principal)
    if user.totp_secret_encrypted is None:
        raise HubError("Start setting up your authenticator app first, then enter its code.")
    if (refused := await _accept_code(session, settings, user, code)) is not None:
        raise HubError(refused, field="code")
    user.totp_enabled_at = datetime.now(UTC)
    await sessions.revoke_all_sessions(session, user, reason="second_factor_enabled", actor_id=user.id)
    return await sessions.token_pair(session, settings, user, family_id=uuid.uuid4(), mfa=True)


async def disable_totp(session: AsyncSession, settings: UsersSettings, principal: Principal, code: str) -> None:
    user = await sessions.own_account(session, principal)
    if user.totp_enabled_at is None:
        raise NotFound("No second factor is set up.")
    org = await repository.get_organization(session, user.org_id)
    if org and set(org.mfa_required_roles) & await _roles_of(session, user):
        raise HubError("Your club requires a second factor for your role.")
    if (refused := await _accept_code(session, settings, user, code)) is not None:
        raise HubError(refused, field="code")
    user.totp_enabled_at, user.totp_secret_encrypted = None, None
