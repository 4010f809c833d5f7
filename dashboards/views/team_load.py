"""Team load: each player's daily session-RPE load in one of the viewer's teams, and totals per player."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboards import session
from dashboards.client import ApiError, StatsClient
from dashboards.config import DashboardSettings
from dashboards.display import player_label, show_error, team_label, viewer_today

DEFAULT_PERIOD_DAYS = 28
LOAD = "sRPE load (AU)"


def load_chart(frame: pd.DataFrame, date_from: date, date_to: date):
    figure = px.bar(
        frame,
        x="session_date",
        y="session_rpe_load_au",
        color="player",
        labels={"session_date": "Day", "session_rpe_load_au": LOAD, "player": "Player"},
    )
    figure.update_layout(barmode="stack", legend_title_text="", margin={"t": 30})
    # the whole period, so days without sessions show as gaps instead of disappearing
    half_day = timedelta(hours=12)
    figure.update_xaxes(
        range=[
            datetime.combine(date_from, datetime.min.time()) - half_day,
            datetime.combine(date_to, datetime.min.time()) + half_day,
        ]
    )
    return figure


def totals_per_player(frame: pd.DataFrame) -> pd.DataFrame:
    totals = (
        frame.groupby("player", as_index=False)
        .agg(
            sessions=("session_count", "sum"),
            minutes=("total_duration_minutes", "sum"),
            load=("session_rpe_load_au", "sum"),
        )
        .sort_values(["load", "player"], ascending=[False, True])
    )
    return totals.rename(columns={"player": "Player", "sessions": "Sessions", "minutes": "Minutes", "load": LOAD})


st.title("Team load")
st.caption("Daily session-RPE load: each session's RPE (0–10) × its minutes, in arbitrary units (AU).")

viewer = session.current_viewer()
if viewer is None:
    st.info("Log in to see your teams' load.")
    st.stop()
if not viewer.team_ids:
    st.info("You are not on a team, so there is no team load to show.")
    st.stop()

team_column, period_column = st.columns(2)
team_id = team_column.selectbox("Team", viewer.team_ids, format_func=team_label)
today = viewer_today()
period = period_column.date_input(
    "Period",
    value=(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today),
    max_value=today,
    format="YYYY-MM-DD",
)
if len(period) != 2:
    st.info("Pick the last day of the period too.")
    st.stop()
date_from, date_to = period

settings = DashboardSettings()
client = StatsClient(settings.stats_url, viewer.access_token, timeout=settings.request_timeout_seconds)
try:
    load = client.team_daily_load(team_id, date_from, date_to)
except ApiError as error:
    show_error(error)
    st.stop()

if not load["player_days"]:
    st.info("No sessions logged in this period.")
    st.stop()

frame = pd.DataFrame(load["player_days"])
frame["player"] = [player_label(p, viewer) for p in frame["player_id"]]
frame["session_date"] = pd.to_datetime(frame["session_date"])
st.plotly_chart(load_chart(frame, date_from, date_to))
st.subheader("Totals per player")
st.dataframe(totals_per_player(frame), hide_index=True)
as_of = datetime.fromisoformat(load["as_of"]).astimezone(UTC)
st.caption(f"Statistics as of {as_of:%Y-%m-%d %H:%M} UTC.")
