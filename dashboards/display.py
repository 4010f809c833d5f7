"""What every page shows the same way: labels for teams and players, and API errors in words."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from dashboards import session
from dashboards.client import ApiError


def viewer_today() -> date:
    """Today where the person sits (their browser's time zone), so today's sessions are in the default period."""
    try:
        return datetime.now(ZoneInfo(st.context.timezone)).date() if st.context.timezone else date.today()
    except (ZoneInfoNotFoundError, ValueError):
        return date.today()


def team_label(team_id: str) -> str:
    return f"Team {team_id[:8]}"


def player_label(player_id: str, viewer: session.Viewer) -> str:
    return "You" if player_id == viewer.user_id else f"Player {player_id[:8]}"


def show_error(error: ApiError) -> None:
    if error.code == "statistics_not_ready":
        st.info("Statistics are not built yet: they appear after the first pipeline run. Try again in a few minutes.")
    elif error.status_code == 401:
        session.log_out()
        st.warning("Your session has ended; log in again.")
        st.button("Log in again")
    else:
        st.error(error.message)
