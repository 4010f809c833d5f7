"""Logged today: which players of a team have logged session RPE and answered the wellness questionnaire today
(the club's today) and this week, when each last did, and the team's monitoring compliance week by week."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import compliance_rows
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import (
    as_of_caption,
    choose_team,
    club_today,
    end_page,
    show_error,
    show_table,
    show_team_error,
    signed_in_viewer,
)

st.title("Logged today")

viewer = signed_in_viewer("Log in to see your teams.")

stats = stats_client()
directory = Directory(viewer, stats, club_client())
today = club_today(viewer)
as_of, team = None, None
try:
    with st.spinner("Loading who has logged today…"):
        team = choose_team(directory)
        if team is None:
            end_page()
        payload = stats.team_compliance(team.id)
        entries, as_of = compliance_rows.from_stats(payload), payload.get("as_of")
        directory.learn([{"player_id": e.player_id, "player_name": e.player_name} for e in entries])
        labels = directory.player_labels([e.player_id for e in entries], team.id)
except ApiError as error:
    if team is None:
        show_error(error)
    else:
        show_team_error(error, team, what="Who logged today")
    end_page()

if not entries:
    st.info(f"{team.name} has no players on its roster yet.")
    end_page()

rows = compliance_rows.rows(entries, labels, today)
missing_rpe = [r["Player"] for r in rows if r["RPE today"] == "no"]
missing_wellness = [r["Player"] for r in rows if r["Wellness today"] == "no"]
rpe_column, wellness_column = st.columns(2)
rpe_column.metric("Logged RPE today", f"{len(rows) - len(missing_rpe)} of {len(rows)}")
wellness_column.metric("Answered wellness today", f"{len(rows) - len(missing_wellness)} of {len(rows)}")
if missing_rpe:
    st.warning("No RPE logged today: " + ", ".join(missing_rpe) + ".")
if missing_wellness:
    st.warning("No wellness answer today: " + ", ".join(missing_wellness) + ".")
if not missing_rpe and not missing_wellness:
    st.success("Everyone has logged RPE and answered the wellness questionnaire today.")
show_table(pd.DataFrame(rows), {"Days since RPE": "{:.0f}", "Days since wellness": "{:.0f}"})
st.caption(
    f"Today is {today:%A %d %B %Y} in the club's time zone ({viewer.time_zone}). — : nothing logged in the period "
    "the service looks back over. A rest day without a session needs no RPE log."
)

st.subheader("This week")
try:
    with st.spinner("Loading this week…"):
        week = stats.team_compliance(team.id, days=today.weekday() + 1)  # Monday to today
except ApiError as error:
    show_team_error(error, team, what="This week")
    end_page()
no_rpe_week, no_wellness_week = compliance_rows.not_logged_in_window(week, labels)
if no_rpe_week:
    st.warning("No RPE logged since Monday: " + ", ".join(no_rpe_week) + ".")
if no_wellness_week:
    st.warning("No wellness answer since Monday: " + ", ".join(no_wellness_week) + ".")
if not no_rpe_week and not no_wellness_week:
    st.success("Everyone has logged RPE and answered wellness at least once this week.")

weekly = compliance_rows.weekly_rows(payload.get("weeks") or [])
if weekly:
    st.markdown("**Monitoring compliance by week**")
    show_table(
        pd.DataFrame(weekly),
        {"Wellness compliance": "{:.0%}", "RPE logs per attended session": "{:.2f}"},
    )
    st.caption(
        "Wellness: answers ÷ one expected per player per day on the roster. RPE: logs ÷ sessions the players "
        "attended (above 1 when players log sessions the coach took no attendance for). Low compliance means the "
        "ACWR and wellness figures of those weeks rest on thin data."
    )
else:
    st.caption("Weekly compliance appears after the next pipeline run.")
as_of_caption(as_of, viewer)
