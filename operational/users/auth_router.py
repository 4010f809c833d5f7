"""Sign-in, tokens, second factor and the public keys every service verifies tokens with."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, status

from operational.kit.auth import CurrentUser, EnrollingUser, bind_local_revocations, client_address, jwks
from operational.kit.db import SessionDep
from operational.users import auth_service, sessions
from operational.users.config import UsersSettings, users_settings
from operational.users.schemas import (
    InvitationAccept,
    LoginRequest,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    TokenPair,
    TotpCode,
    TotpSetup,
)

# what these endpoints revoke is refused by this process from the very next request
auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"], dependencies=[Depends(bind_local_revocations)])
keys_router = APIRouter(tags=["auth"])


def _settings(request: Request) -> UsersSettings:
    return users_settings(request)


@auth_router.post("/login", response_model=TokenPair)
async def login(body: LoginRequest, session: SessionDep, request: Request) -> TokenPair:
    """E-mail and password (and a TOTP code when a second factor is on) → access token (15 min) + refresh token.

    Someone whose club requires a second factor for their role and who has none yet gets a short token with scope
    `totp_enroll`, valid only for `/api/v1/auth/totp/*`. An e-mail with accounts in several clubs whose password
    opens more than one is answered 409 `club_required` (the clubs in `error.details`); send `club` then."""
    return await auth_service.sign_in(
        session,
        _settings(request),
        body.email,
        body.password,
        body.totp_code,
        client_address(request),
        body.club,
    )


@auth_router.post("/refresh", response_model=TokenPair)
async def refresh(body: RefreshRequest, session: SessionDep, request: Request) -> TokenPair:
    """A new token pair; the refresh token presented is used up. Presenting a used one ends every session of its
    family. When the club now requires a second factor that this session was not signed in with, the session ends
    and the answer is a sign-in's: a `totp_enroll` token, or 401 `totp_required`."""
    return await auth_service.refresh(session, _settings(request), body.refresh_token)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshRequest, session: SessionDep) -> None:
    """End this sign-in: its refresh token and its access tokens stop working at once."""
    await auth_service.logout(session, body.refresh_token)


@auth_router.post("/revoke-all", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_all(session: SessionDep, user: CurrentUser) -> None:
    """Sign out everywhere: every refresh and access token of yours stops working at once."""
    await sessions.sign_out_everywhere(session, user)


@auth_router.post("/password", response_model=TokenPair)
async def change_password(body: PasswordChange, session: SessionDep, request: Request, user: CurrentUser) -> TokenPair:
    """Change your password: every other sign-in ends; this one goes on with the new tokens returned."""
    return await auth_service.change_password(
        session, _settings(request), user, body.current_password, body.new_password, client_address(request)
    )


@auth_router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def request_password_reset(body: PasswordResetRequest, session: SessionDep, request: Request) -> dict:
    """Sends a one-time link to each account of the address (one per club); the answer is the same either way."""
    await auth_service.request_password_reset(session, _settings(request), body.email, body.club)
    return {"status": "If the address belongs to an account, a reset link is on its way."}


@auth_router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_password_reset(body: PasswordResetConfirm, session: SessionDep, request: Request) -> None:
    """Set a new password with the one-time link from a reset; the link is used up and every sign-in ends."""
    await auth_service.reset_password(session, _settings(request), body.token, body.new_password)


@auth_router.post("/invitations/accept", response_model=TokenPair)
async def accept_invitation(body: InvitationAccept, session: SessionDep, request: Request) -> TokenPair:
    """Set your password with the invitation link and sign in: the answer is your first token pair."""
    return await auth_service.accept_invitation(session, _settings(request), body.token, body.password)


@auth_router.post("/totp/setup", response_model=TotpSetup)
async def totp_setup(session: SessionDep, request: Request, user: EnrollingUser) -> TotpSetup:
    """Start setting up an authenticator app (reached with the `totp_enroll` token from sign-in)."""
    return await auth_service.start_totp_setup(session, _settings(request), user)


@auth_router.post("/totp/confirm", response_model=TokenPair)
async def totp_confirm(body: TotpCode, session: SessionDep, request: Request, user: EnrollingUser) -> TokenPair:
    """Finish setting up the authenticator app with a code from it; the answer is a full sign-in."""
    return await auth_service.confirm_totp(session, _settings(request), user, body.code)


@auth_router.post("/me/totp/setup", response_model=TotpSetup)
async def my_totp_setup(session: SessionDep, request: Request, user: CurrentUser) -> TotpSetup:
    """Turn on a second factor for your own account (optional unless your club requires it)."""
    return await auth_service.start_totp_setup(session, _settings(request), user)


@auth_router.post("/me/totp/confirm", response_model=TokenPair)
async def my_totp_confirm(body: TotpCode, session: SessionDep, request: Request, user: CurrentUser) -> TokenPair:
    """Confirm your authenticator app with a code from it; the second factor is on from now."""
    return await auth_service.confirm_totp(session, _settings(request), user, body.code)


@auth_router.post("/me/totp/disable", status_code=status.HTTP_204_NO_CONTENT)
async def my_totp_disable(body: TotpCode, session: SessionDep, request: Request, user: CurrentUser) -> None:
    """Turn your second factor off with a current code (refused when your club requires one for your role)."""
    await auth_service.disable_totp(session, _settings(request), user, body.code)


@keys_router.get("/.well-known/jwks.json")
async def json_web_key_set(request: Request) -> dict:
    """The public keys access tokens are signed with (RFC 7517)."""
    return jwks([_settings(request).public_key_pem])
