"""The logged-in person: the access token kept in the Streamlit session and what its claims say.

The claims are read without verifying the signature, for display only (which teams to offer); the APIs verify
the token on every call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
import streamlit as st

TOKEN_KEY = "access_token"


@dataclass(frozen=True)
class Viewer:
    user_id: str
    org_id: str
    roles: tuple[str, ...]
    team_ids: tuple[str, ...]
    access_token: str


def store_token(access_token: str) -> None:
    st.session_state[TOKEN_KEY] = access_token


def log_out() -> None:
    st.session_state.pop(TOKEN_KEY, None)


def current_viewer() -> Viewer | None:
    """Who is logged in, or None (never logged in, logged out, or the token expired or cannot be read)."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        viewer = Viewer(
            user_id=str(claims["sub"]),
            org_id=str(claims["org_id"]),
            roles=tuple(claims.get("roles", ())),
            team_ids=tuple(sorted(claims.get("team_ids", ()))),
            access_token=token,
        )
        expired = float(claims.get("exp", 0)) <= time.time()
    except (jwt.InvalidTokenError, KeyError, TypeError, ValueError):
        expired = True
    if expired:
        log_out()
        return None
    return viewer
