"""The page for someone the dashboards have nothing for yet (medical staff, or an account without a role): it says
so, and what the dashboards cover, instead of offering pages that would only refuse them."""

from __future__ import annotations

import streamlit as st

from dashboards.display import signed_in_viewer

st.title("Hockey Hub dashboards")

viewer = signed_in_viewer("Log in to see your dashboards.")

if viewer.has_any_role("medical_staff"):
    st.info(
        "There are no dashboards for medical staff yet. Injuries, treatments and return-to-play are recorded in the "
        "club app; the dashboards show coaches only each player's availability and coded restrictions, never "
        "clinical detail."
    )
else:
    st.info(
        "There is nothing for your account here yet: the dashboards show training load and attendance to coaches, "
        "physical trainers and club admins, and their own training to players and their parents. If you should "
        "see a team, ask your club's administrator to add you to it."
    )
st.write(
    "What the dashboards offer: team load and the load board with acute:chronic workload ratios, attendance per "
    "week, answers for the next event, who has logged RPE and wellness today, and each player's training history."
)
