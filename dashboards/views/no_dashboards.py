"""The page for someone the dashboards have nothing for yet (an account without a role): it says so, and what the
dashboards cover, instead of offering pages that would only refuse them."""

from __future__ import annotations

import streamlit as st

from dashboards.display import signed_in_viewer

st.title("Hockey Hub dashboards")

viewer = signed_in_viewer("Log in to see your dashboards.")

st.info(
    "There is nothing for your account here yet: the dashboards show training load, attendance and availability to "
    "coaches, physical trainers and club admins, medical records to medical staff, and their own training to "
    "players and their parents. If you should see a team, ask your club's administrator to add you to it."
)
st.write(
    "What the dashboards offer: team load and the load board with acute:chronic workload ratios, attendance per "
    "week, availability and injury surveillance, answers for the next event, who has logged RPE and wellness "
    "today, and each player's training history."
)
