"""Attendance: each player's attendance rate per week in one team (excused absences do not count against them)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards.attendance_rows import stats_rows, weeks_by_player
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

st.title("Attendance")
st.caption("Share of a team's practices, games and sessions each player attended; excused absences do not count.")

viewer = signed_in_viewer("Log in to see your teams' attendance.")

stats, club = stats_client(), club_client()
directory = Directory(viewer, stats, club)
team_column, period_column = st.columns(2)
team = chosen_team(directory, team_column)
today = club_today(viewer)
period = period_column.date_input(
    "Period", value=(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today), max_value=today, format="YYYY-MM-DD"
)
if len(period) != 2:
    st.info("Pick the last day of the period too.")
    end_page()
date_from, date_to = period

try:
    with st.spinner("Loading attendance…"):
        payload = stats.team_attendance(team.id, date_from, date_to)
        rows, as_of = stats_rows(payload), payload.get("as_of")
        directory.learn(rows)
        labels = directory.player_labels([r["player_id"] for r in rows], team.id)
except ApiError as error:
    show_team_error(error, team, what="Attendance")
    end_page()

if not rows:
    st.info(f"No attendance recorded for {team.name} in this period: it appears once coaches take attendance.")
    end_page()

table = weeks_by_player(rows, labels)
show_table(table, {column: "{:.0%}" for column in table.columns if column != "Player"})
st.caption("Weeks start on Monday. — : nothing to count for that player that week (no attendance taken, or only "
           "excused absences).")  # fmt: skip
as_of_caption(as_of, viewer)
