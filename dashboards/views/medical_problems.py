"""Open problems: every injury and illness of the club not yet back to full participation, with its diagnosis
(medical staff only)."""

from __future__ import annotations

import streamlit as st

from dashboards import medical_rows
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import club_today, end_page, show_error, show_table, signed_in_viewer

st.title("Open problems")
st.caption("Injuries and illnesses not yet back to full participation. Every record you open here is written to "
           "the player's access log.")  # fmt: skip

viewer = signed_in_viewer("Log in to see the club's open problems.")

stats, club = stats_client(), club_client()
today = club_today(viewer)
try:
    with st.spinner("Loading open problems…"):
        problems = club.medical_problems(open_only=True)
        names = medical_rows.player_names(Directory(viewer, stats, club), stats, today)
except ApiError as error:
    show_error(error, what="Open problems")
    end_page()

if not problems:
    st.info("No open problems: when medical staff record an injury or illness, it appears here until the player "
            "is back to full participation.")  # fmt: skip
    end_page()
st.metric("Open problems", len(problems))
show_table(medical_rows.open_problems_table(problems, names, today))
