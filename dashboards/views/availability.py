"""Availability: who can play today (status, restrictions, expected return, never a diagnosis), the week ahead,
and the share of available player-days per week."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards import availability_rows
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

WEEKS_SHOWN = 8

st.title("Availability")
st.caption("Who can take part today and in the coming week, as medical staff set it: status, restrictions and "
           "expected return only.")  # fmt: skip

viewer = signed_in_viewer("Log in to see your teams' availability.")

stats = stats_client()
directory = Directory(viewer, stats, club_client())
team = chosen_team(directory, health=True)
today = club_today(viewer)
try:
    with st.spinner("Loading availability…"):
        payload = stats.team_availability(team.id, today - timedelta(weeks=WEEKS_SHOWN) + timedelta(days=1), today)
except ApiError as error:
    show_team_error(error, team, what="Availability")
    end_page()

if not payload.get("players"):
    st.info(f"{team.name} has no players on its roster yet: once an admin adds them, their availability shows here.")
    end_page()

available, limited, unavailable = st.columns(3)
available.metric("Available", payload["available"])
limited.metric("Limited", payload["limited"])
unavailable.metric("Unavailable", payload["unavailable"])

st.subheader("Today")
show_table(availability_rows.today_table(payload))
st.subheader("The week ahead")
show_table(availability_rows.week_ahead_table(payload))
st.caption("A limited or unavailable player counts as available from their expected return on.")
st.subheader("Per week")
weeks = availability_rows.weeks_table(payload)
if weeks.empty:
    st.info("No weeks to show yet: they appear after the next pipeline run.")
else:
    show_table(weeks, {"Available": "{:.0%}", "Available or limited": "{:.0%}"})
    st.caption("Share of the days players were on the roster that they were available (weeks start on Monday).")
as_of_caption(payload.get("as_of"), viewer)
