"""Goals: each goal's target and its progress measured from what players logged (tests, attendance, wellness,
weekly load). Staff pick a team; players see their own and their team's; parents their children's."""

from __future__ import annotations

import streamlit as st

from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory, Named
from dashboards.display import (
    as_of_caption,
    chosen_team,
    end_page,
    show_error,
    show_table,
    show_team_error,
    signed_in_viewer,
)
from dashboards.goal_rows import goals_frame
from dashboards.navigation import STAFF_ROLES

st.title("Goals")
st.caption("Targets tied to what the club measures; progress is computed from what is logged, never typed in.")

viewer = signed_in_viewer("Log in to see your goals.")
stats, club = stats_client(), club_client()
directory = Directory(viewer, stats, club)

if viewer.has_any_role(*STAFF_ROLES):
    team = chosen_team(directory)
    try:
        with st.spinner("Loading goals…"):
            payload = stats.team_goals(team.id)
    except ApiError as error:
        show_team_error(error, team, what="Goals")
        end_page()
    empty = f"{team.name} has no goals yet: a coach sets team and player goals in Hockey Hub's planning."
    whose = True
else:
    own = directory.own_players()
    if not own:
        st.info("There are no goals to show for your account: you are not a player, and no child of yours is linked "
                "to it. Ask your club's administrator to link your child.")  # fmt: skip
        end_page()
    names = {p.id: p.name for p in own}
    player_id = own[0].id if len(own) == 1 else st.selectbox("Whose goals", list(names), format_func=names.get)
    player = Named(player_id, names[player_id])
    try:
        with st.spinner("Loading goals…"):
            payload = stats.player_goals(player.id)
    except ApiError as error:
        show_error(error, what="Goals")
        end_page()
    empty = f"No goals for {player.name} yet: the coaches set them with the player."
    whose = False

if not payload["items"]:
    st.info(empty)
    end_page()
met = sum(1 for goal in payload["items"] if goal["is_met"])
st.metric("Goals met", f"{met} of {len(payload['items'])}")
show_table(goals_frame(payload["items"], whose=whose), {"Now": "{:g}", "Progress (%)": "{:.0f}"})
as_of_caption(payload.get("as_of"), viewer)
