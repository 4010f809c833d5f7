"""Return to play: where each player's graduated return stands, one column per stage (medical staff only)."""

from __future__ import annotations

import streamlit as st

from dashboards import medical_rows
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import club_today, end_page, show_error, signed_in_viewer

STAGES = 6  # the graduated return to sport after concussion (Amsterdam 2022, Patricios et al., BJSM 57:695)

st.title("Return to play")
st.caption("Players in a return-to-play protocol, by stage; each stage lasts at least 24 hours.")

viewer = signed_in_viewer("Log in to see the return-to-play board.")

stats, club = stats_client(), club_client()
try:
    with st.spinner("Loading the return-to-play board…"):
        problems = club.medical_problems(open_only=True)
        names = medical_rows.player_names(Directory(viewer, stats, club), stats, club_today(viewer))
        board = medical_rows.stage_board(club, problems, names)
except ApiError as error:
    show_error(error, what="The return-to-play board")
    end_page()

if not board:
    st.info("No player is in a return-to-play protocol: start one from a problem's record.")
    end_page()
for number, column in enumerate(st.columns(STAGES), start=1):
    column.markdown(f"**Stage {number}**")
    for line in board.get(number, []):
        column.markdown(f"- {line}")
