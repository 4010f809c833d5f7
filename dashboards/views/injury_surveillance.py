"""Injury surveillance: a team's season after the IOC 2020 consensus (Bahr et al., BJSM 54:372): incidence per
1,000 h, burden with its 95 % interval, severity bands, the risk matrix and time to return to play. Aggregates only;
groups of fewer than three problems are merged for everyone but medical staff."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import surveillance_charts
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import as_of_caption, chosen_team, end_page, show_table, show_team_error, signed_in_viewer

KIND_WORDS = {"injury": "Injuries", "illness": "Illnesses"}
BREAKDOWN_WORDS = {"by_body_area": "Body area", "by_osiics_group": "OSIICS group"}

st.title("Injury surveillance")
st.caption("Injuries and illnesses over the team's exposure (attended practices and games, logged sessions). "
           "Burden = incidence × mean severity; bars show the bootstrap 95 % interval.")  # fmt: skip

viewer = signed_in_viewer("Log in to see your teams' injury statistics.")

stats = stats_client()
directory = Directory(viewer, stats, club_client())
team_column, season_column, breakdown_column = st.columns(3)
team = chosen_team(directory, team_column, health=True)
try:
    with st.spinner("Loading injury statistics…"):
        payload = stats.team_injury_surveillance(team.id)
        seasons = payload.get("seasons") or [payload["season"]]
        season = season_column.selectbox("Season", seasons, format_func=lambda s: f"{s}/{(s + 1) % 100:02d}")
        if season != payload["season"]:
            payload = stats.team_injury_surveillance(team.id, season)
        rtp = stats.team_return_to_play(team.id)
except ApiError as error:
    show_team_error(error, team, what="Injury surveillance")
    end_page()

breakdown = breakdown_column.selectbox("Group by", list(BREAKDOWN_WORDS), format_func=BREAKDOWN_WORDS.get)
hours, games = payload["exposure_hours"], payload["game_hours"]
st.markdown(f"**Exposure:** {hours:,.0f} h ({games:,.0f} h of games, {hours - games:,.0f} h of practice).")
if not payload["kinds"]:
    st.info(f"No injuries or illnesses recorded for {team.name} this season.")
for kind in payload["kinds"]:
    total = kind["total"]
    st.subheader(KIND_WORDS[kind["kind"]])
    columns = st.columns(4)
    columns[0].metric("Problems", total["problems"])
    columns[1].metric("Incidence per 1,000 h", "—" if total["incidence_per_1000h"] is None
                      else f"{total['incidence_per_1000h']:.1f}")  # fmt: skip
    columns[2].metric("Mean severity (days)", "—" if total["mean_severity_days"] is None
                      else f"{total['mean_severity_days']:.1f}")  # fmt: skip
    burden = total["burden_days_per_1000h"]
    interval = (f" ({total['burden_ci_low']:.0f}–{total['burden_ci_high']:.0f})"
                if total["burden_ci_low"] is not None else "")  # fmt: skip
    columns[3].metric("Burden, days per 1,000 h", "—" if burden is None else f"{burden:.0f}{interval}")
    in_games, in_practice = total.get("game_incidence_per_1000h"), total.get("practice_incidence_per_1000h")
    st.caption(
        "Per 1,000 h of games: " + ("—" if in_games is None else f"{in_games:.1f}")
        + "; per 1,000 h of practice: " + ("—" if in_practice is None else f"{in_practice:.1f}") + "."
    )  # fmt: skip
    rows = kind[breakdown]
    left, right = st.columns(2)
    # keyed by kind: injuries and illnesses with the same figures (one merged "Other" group each) draw equal charts,
    # which Streamlit refuses to tell apart without a key
    by = BREAKDOWN_WORDS[breakdown].lower()
    left.plotly_chart(surveillance_charts.incidence_figure(rows, f"Incidence by {by}"), key=f"incidence-{kind['kind']}")
    right.plotly_chart(surveillance_charts.burden_figure(rows, f"Burden by {by}"), key=f"burden-{kind['kind']}")
    st.plotly_chart(surveillance_charts.risk_matrix_figure(rows), key=f"risk-matrix-{kind['kind']}")
    bands = pd.DataFrame(
        [
            {
                BREAKDOWN_WORDS[breakdown]: r["group"],
                "Problems": r["problems"],
                "Still out": r["open_problems"],
                "0–7 days": r["severity_0_7_days"],
                "8–28 days": r["severity_8_28_days"],
                "> 28 days": r["severity_over_28_days"],
            }
            for r in [{**total, "group": "All"}, *rows]
        ]
    )
    show_table(bands)

st.subheader("Time to return to play")
groups = rtp.get("groups") or []
if not groups:
    st.info("No time-loss problems to show yet.")
else:
    show_table(
        pd.DataFrame(
            [
                {
                    "OSIICS group": g["group"],
                    "Problems": g["problems"],
                    "Back": g["returned"],
                    "Still out": g["still_out"],
                    "Median days to return": g["median_days"],
                }
                for g in groups
            ]
        ),
        {"Median days to return": "{:.0f}"},
    )
    st.caption("Kaplan–Meier median, counting problems still open up to today; — while more than half are out.")
as_of_caption(payload.get("as_of"), viewer)
