"""Season plan: the team's planned against actual load per week, and where the plan takes the players' form, with
the key games marked (dashed: the days ahead, computed from the plan)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
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
from dashboards.planning_charts import form_figure, weeks_figure

WEEKS_BACK, WEEKS_AHEAD = 6, 4

st.title("Season plan")
st.caption("Planned against actual training load (session RPE × minutes, AU) per week, and the form the plan leads "
           "to before the key games.")  # fmt: skip

viewer = signed_in_viewer("Log in to see your teams' season plans.")
stats, club = stats_client(), club_client()
directory = Directory(viewer, stats, club)
team = chosen_team(directory)
today = club_today(viewer)
date_from = today - timedelta(days=today.weekday(), weeks=WEEKS_BACK)
date_to = today - timedelta(days=today.weekday()) + timedelta(weeks=WEEKS_AHEAD, days=6)

try:
    with st.spinner("Loading the season plan…"):
        plan = stats.team_season_plan(team.id, date_from, date_to)
        form = stats.team_form(team.id, date_from, date_to)
except ApiError as error:
    show_team_error(error, team, what="The season plan")
    end_page()

if not plan["weeks"]:
    st.info(f"No weeks of {team.name}'s season plan fall in these ten weeks: a coach plans the season's weeks in "
            "Hockey Hub's planning, and they appear here after the next statistics update.")  # fmt: skip
    end_page()

st.subheader("Planned vs actual load per week")
st.plotly_chart(weeks_figure(plan["weeks"]))
table = pd.DataFrame(
    {
        "Week": [w["week_start"] for w in plan["weeks"]],
        "Focus": [w["focus"] for w in plan["weeks"]],
        "Planned (AU)": [w["planned_load_au"] for w in plan["weeks"]],
        "Sessions scheduled": [w["scheduled_sessions"] for w in plan["weeks"]],
        "Actual per player (AU)": [w["mean_actual_load_au"] for w in plan["weeks"]],
        "Actual ÷ planned": [w["actual_to_planned_load_ratio"] for w in plan["weeks"]],
        "4-week trend": [w["ratio_trend_4_weeks"] for w in plan["weeks"]],
        "Sessions missed": [w["sessions_missed"] for w in plan["weeks"]],
        "Sessions added": [w["sessions_added"] for w in plan["weeks"]],
        "Games": [w["scheduled_games"] for w in plan["weeks"]],
        "Games logged": [w["games_logged"] for w in plan["weeks"]],
    }
)
show_table(table, {"Actual per player (AU)": "{:.0f}", "Actual ÷ planned": "{:.2f}", "4-week trend": "{:.2f}"})
st.caption("Weeks ahead have no actual load yet. A ratio of 1.00 means the players did what was planned. Sessions "
           "scheduled are the week's training sessions and practices; a player missed one when no session they "
           "logged matched it, and added one when a logged session matched none. Games are scheduled apart: a "
           "game's log is not added, and a player who did not log a game did not miss training. Games logged "
           "counts the players' logs that matched a game.")  # fmt: skip

st.subheader("Form: fitness − fatigue, continued on the plan")
if form["days"]:
    st.plotly_chart(form_figure(form["days"], form["key_games"], viewer.time_zone))
    st.caption("Team mean over its players. Fitness is the 42-day and fatigue the 7-day weighted load; form rising "
               "before an A game is the taper working. Days ahead carry the planned loads of the sessions scheduled "
               "on them, and the rest of the week's planned load is shared by its other days. Dotted lines: key "
               "games (A, B, C).")  # fmt: skip
else:
    st.info("No form curve yet: it appears once the team's players have logged sessions.")
as_of_caption(plan.get("as_of"), viewer)
