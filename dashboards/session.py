"""The logged-in person: the tokens kept in the Streamlit session, what the access token's claims say, and keeping
the sign-in alive.

The access token lives 15 minutes; the refresh token from the same sign-in renews it (and is replaced each time).
Every script run renews an access token that is about to expire, and an API's 401 renews it once; only when renewal
fails does the session end, with a note the login page shows.

The claims are read without verifying the signature, for display only (which pages and teams to offer); the APIs
verify the token on every call.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import jwt
import streamlit as st

from dashboards import client
from dashboards.config import DashboardSettings

TOKEN_KEY = "access_token"
REFRESH_KEY = "refresh_token"
ENDED_KEY = "session_ended_note"
_CACHE_KEY = "viewer_cache"
# Renew this long before the access token expires, so a page never starts with a token that dies half-way.
RENEW_MARGIN_SECONDS = 90
SESSION_ENDED = "Your session has ended; log in again."
SECOND_FACTOR_NEEDED = (
    "Your club asks for a second factor at sign-in: set up an authenticator app in the club app, then log in here."
)

T = TypeVar("T")


@dataclass(frozen=True)
class Viewer:
    user_id: str
    org_id: str
    roles: tuple[str, ...]
    team_ids: tuple[str, ...]
    access_token: str
    guardian_of: tuple[str, ...] = ()
    time_zone: str = "UTC"  # the club's (the token's ``tz`` claim)
    lang: str = "en"  # the person's language (the token's ``lang`` claim), for amounts and dates

    def has_any_role(self, *roles: str) -> bool:
        return bool(set(self.roles) & set(roles))


def store_tokens(tokens: client.Tokens) -> None:
    st.session_state[TOKEN_KEY] = tokens.access_token
    if tokens.refresh_token:
        st.session_state[REFRESH_KEY] = tokens.refresh_token
    st.session_state.pop(ENDED_KEY, None)


def _forget() -> None:
    for key in (TOKEN_KEY, REFRESH_KEY, _CACHE_KEY):
        st.session_state.pop(key, None)


def log_out() -> None:
    """The person asked to leave: end the sign-in at the gateway too, so its refresh token stops working."""
    refresh_token = st.session_state.get(REFRESH_KEY)
    _forget()
    if refresh_token:
        settings = DashboardSettings()
        # the refresh token is forgotten here either way, and expires on its own
        with contextlib.suppress(client.ApiError):
            client.log_out(settings.gateway_url, refresh_token, timeout=settings.request_timeout_seconds)


def end_session(note: str = SESSION_ENDED) -> None:
    """The sign-in can no longer be used: forget it and leave a note for the login page."""
    _forget()
    st.session_state[ENDED_KEY] = note


def ended_note() -> str | None:
    return st.session_state.get(ENDED_KEY)


def renew() -> str | None:
    """Renew the access token with the refresh token; the new access token, or None (and the session ended)."""
    refresh_token = st.session_state.get(REFRESH_KEY)
    if not refresh_token:
        end_session()
        return None
    settings = DashboardSettings()
    try:
        tokens = client.refresh(settings.gateway_url, refresh_token, timeout=settings.request_timeout_seconds)
    except client.ApiError as error:
        # a refused refresh token ends the session; an unreachable gateway too, as the access token is expiring
        end_session(SESSION_ENDED if error.status_code else f"{SESSION_ENDED} {error.message}")
        return None
    if tokens.scope != "access":
        end_session(SECOND_FACTOR_NEEDED)
        return None
    st.session_state[TOKEN_KEY] = tokens.access_token
    st.session_state[REFRESH_KEY] = tokens.refresh_token or refresh_token
    return tokens.access_token


def _claims(token: str) -> dict[str, Any] | None:
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return None


def _viewer(token: str, claims: dict[str, Any]) -> Viewer:
    return Viewer(
        user_id=str(claims["sub"]),
        org_id=str(claims["org_id"]),
        roles=tuple(claims.get("roles", ())),
        team_ids=tuple(sorted(str(t) for t in claims.get("team_ids", ()))),
        access_token=token,
        guardian_of=tuple(sorted(str(m) for m in claims.get("guardian_of", ()))),
        time_zone=str(claims.get("tz") or "UTC"),
        lang=str(claims.get("lang") or "en"),
    )


def current_viewer() -> Viewer | None:
    """Who is logged in, or None (never logged in, logged out, or the sign-in could not be renewed)."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    claims = _claims(token)
    try:
        expires_at = float(claims["exp"]) if claims else 0.0
        viewer = _viewer(token, claims) if claims else None
    except (KeyError, TypeError, ValueError):
        viewer = None
    if viewer is None:
        end_session()
        return None
    if expires_at - time.time() < RENEW_MARGIN_SECONDS:
        if not st.session_state.get(REFRESH_KEY) and expires_at > time.time():
            return viewer  # nothing to renew with; the token still works for now
        renewed = renew()
        if renewed is None:
            return None
        return _viewer(renewed, _claims(renewed) or claims)
    return viewer


def access_token() -> str | None:
    """The current access token (it changes when a renewal happens during a page's run)."""
    return st.session_state.get(TOKEN_KEY)


def remembered(key: str, compute: Callable[[], T], *, seconds: float = 300) -> T:
    """``compute()``'s answer, kept in this sign-in's session for ``seconds`` (names, rosters): never shared between
    people, and forgotten on logout."""
    cache: dict[str, tuple[float, Any]] = st.session_state.setdefault(_CACHE_KEY, {})
    hit = cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < seconds:
        return hit[1]
    value = compute()
    cache[key] = (time.monotonic(), value)
    return value
