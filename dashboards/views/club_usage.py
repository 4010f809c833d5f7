"""Club usage: who uses Hockey Hub and how — active users per day, week and month, by role and team, the weekly
lifecycle, feature adoption, invitations and each member's last sign-in. Club admins see their club; platform admins
choose any club."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboards import usage_rows
from dashboards.charts import day_axis
from dashboards.client import ApiError
from dashboards.connect import stats_client
from dashboards.display import as_of_caption, club_time, end_page, show_error, show_table, signed_in_viewer

DAYS_SHOWN = 28

st.title("Club usage")
st.caption(
    "Active means signed in, logged session RPE or wellness, answered an invite or opened a dashboard page. Weekly "
    "and monthly figures count each person once over the 7 and 28 days to the day shown."
)

viewer = signed_in_viewer("Log in to see your club's usage.")
stats = stats_client()
try:
    with st.spinner("Loading clubs…"):
        listing = stats.club_usage_list()
except ApiError as error:
    show_error(error, what="Club usage")
    end_page()

clubs = {club["club_id"]: club.get("club_name") or "Club not yet named" for club in listing["clubs"]}
if viewer.has_any_role("platform_admin") and len(clubs) > 1:
    overview = usage_rows.segment_frame([{**c, "name": clubs[c["club_id"]]} for c in listing["clubs"]], "Club")
    with st.expander("Every club", expanded=False):
        show_table(overview, {"Stickiness": "{:.0%}"})
    club_id = st.selectbox("Club", list(clubs), format_func=clubs.get, key="club")
else:
    club_id = next(iter(clubs))

try:
    with st.spinner("Loading usage…"):
        report = stats.club_usage(club_id, DAYS_SHOWN)
except ApiError as error:
    show_error(error, what="Club usage")
    end_page()

st.subheader(clubs[club_id])
daily = usage_rows.daily_frame(report)
if daily.empty:
    st.info(
        "Nobody of this club has been active in the last four weeks yet. Figures appear once members sign in, log "
        "their training or open a dashboard, after the next pipeline run."
    )
else:
    latest = daily.iloc[-1]
    columns = st.columns(4)
    columns[0].metric("Daily active", int(latest["Daily active"]))
    columns[1].metric("Weekly active", int(latest["Weekly active (7 days)"]))
    columns[2].metric("Monthly active", int(latest["Monthly active (28 days)"]))
    columns[3].metric("Stickiness (daily ÷ monthly)", f"{latest['Stickiness']:.0%}")
    figure = go.Figure()
    for name in ("Daily active", "Weekly active (7 days)", "Monthly active (28 days)"):
        figure.add_trace(go.Scatter(x=daily["Day"], y=daily[name], mode="lines+markers", name=name))
    figure.update_layout(xaxis=day_axis(daily["Day"]), yaxis_title="People", height=320, margin={"t": 20})
    st.plotly_chart(figure, use_container_width=True)

    role_column, team_column = st.columns(2)
    with role_column:
        st.markdown("**By role** (each person under their first role)")
        show_table(usage_rows.segment_frame(report["latest_by_role"], "Role"), {"Stickiness": "{:.0%}"})
    with team_column:
        st.markdown("**By team**")
        if report["latest_by_team"]:
            show_table(usage_rows.segment_frame(report["latest_by_team"], "Team"), {"Stickiness": "{:.0%}"})
        else:
            st.info("No team member has been active yet.")

st.markdown("**Weekly lifecycle**")
if report["lifecycle"]:
    show_table(usage_rows.lifecycle_frame(report["lifecycle"]))
    st.caption("New: active for the first time. Back after a break: active again after a quiet week or more. Gone "
               "quiet: active the week before, not this week.")  # fmt: skip
else:
    st.info("No weeks with activity yet.")

st.markdown("**Feature adoption**")
adoption = usage_rows.adoption_frame(report["adoption"])
if adoption.empty:
    st.info("No one has been active in the last four weeks, so there is nothing to compare yet.")
else:
    show_table(adoption, {c: "{:.0%}" for c in adoption.columns if c.startswith("Adoption")})
    st.caption("Of the active people who can use a feature (players and parents log and answer invites; staff use "
               "dashboards), the share who used it.")  # fmt: skip

invitations = report["invitations"]
st.markdown("**Invitations**")
columns = st.columns(4)
for column, (label, key) in zip(
    columns, (("Sent", "sent"), ("Accepted", "accepted"), ("Expired", "expired"), ("Waiting", "pending")), strict=True
):
    column.metric(label, invitations[key])

st.markdown("**Members' last sign-in** (never signed in first)")
members = usage_rows.members_frame(report["members"], lambda moment: club_time(moment, viewer))
if members.empty:
    st.info("The club's members appear here after the next pipeline run.")
else:
    show_table(members)
as_of_caption(report.get("as_of"), viewer)
