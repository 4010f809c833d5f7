"""Access log: who read or changed a player's medical record, and why (medical staff; players read their own
through the club API)."""

from __future__ import annotations

import streamlit as st

from dashboards import medical_rows
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import club_today, end_page, show_error, show_table, signed_in_viewer

st.title("Access log")
st.caption("Every read and change of a player's medical record, from the record's append-only, hash-chained log.")

viewer = signed_in_viewer("Log in to see medical access logs.")

stats, club = stats_client(), club_client()
try:
    with st.spinner("Loading players…"):
        names = medical_rows.player_names(Directory(viewer, stats, club), stats, club_today(viewer))
except ApiError as error:
    show_error(error, what="The access log")
    end_page()

if not names:
    st.info("No players on the club's rosters yet: once an admin adds them, their records' logs show here.")
    end_page()
by_name = dict(sorted(names.items(), key=lambda item: item[1].casefold()))
player_id = st.selectbox("Player", list(by_name), format_func=by_name.get)
try:
    entries = club.medical_access_log(player_id)
except ApiError as error:
    show_error(error, what="The access log")
    end_page()
if not entries:
    st.info(f"No one has opened {by_name[player_id]}'s medical record yet.")
    end_page()
staff = {str(viewer.user_id): "You"}
show_table(medical_rows.access_log_table(entries, names, staff))
