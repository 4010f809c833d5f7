"""Team load: each player's daily session-RPE load in one of the viewer's teams, and totals per player."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import (
    as_of_caption,
    chosen_team,
    club_today,
    end_page,
    show_table,
    show_team_error,
    signed_in_viewer,
)

DEFAULT_PERIOD_DAYS = 28
LOAD = "sRPE load (AU)"


def load_chart(frame: pd.DataFrame, date_from: date, date_to: date):
    figure = px.bar(
        frame.sort_values(["session_date", "player"]),
        x="session_date",
        y="session_rpe_load_au",
        color="player",
        labels={"session_date": "Day", "session_rpe_load_au": LOAD, "player": "Player"},
        category_orders={"player": sorted(frame["player"].unique(), key=str.casefold)},
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
        .sort_values("player", key=lambda names: names.str.casefold(), ignore_index=True)
    )
    return totals.rename(columns={"player": "Player", "sessions": "Sessions", "minutes": "Minutes", "load": LOAD})


st.title("Team load")
st.caption("Daily session-RPE load: each session's RPE (0–10) × its minutes, in arbitrary units (AU).")

viewer = signed_in_viewer("Log in to see your teams' load.")

stats = stats_client()
directory = Directory(viewer, stats, club_client())
team_column, period_column = st.columns(2)
team = chosen_team(directory, team_column)
today = club_today(viewer)
period = period_column.date_input(
    "Period",
    value=(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today),
    max_value=today,
    format="YYYY-MM-DD",
)
if len(period) != 2:
    st.info("Pick the last day of the period too.")
    end_page()
date_from, date_to = period

try:
    with st.spinner("Loading the team's load…"):
        load = stats.team_daily_load(team.id, date_from, date_to)
        directory.learn(load["player_days"])
        labels = directory.player_labels([d["player_id"] for d in load["player_days"]], team.id)
except ApiError as error:
    show_team_error(error, team)
    end_page()

if not load["player_days"]:
    st.info("No sessions logged in this period.")
    end_page()

frame = pd.DataFrame(load["player_days"])
frame["player"] = [labels[str(p)] for p in frame["player_id"]]
frame["session_date"] = pd.to_datetime(frame["session_date"])
st.plotly_chart(load_chart(frame, date_from, date_to))
st.subheader("Totals per player")
show_table(totals_per_player(frame), {LOAD: "{:,.0f}", "Minutes": "{:,.0f}"})
as_of_caption(load.get("as_of"), viewer)
