"""Player detail: daily load with acute and chronic lines, ACWR over its bands, wellness trend and test history."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards import session
from dashboards.client import ApiError, StatsClient
from dashboards.config import DashboardSettings
from dashboards.display import player_label, show_error, team_label, viewer_today

DEFAULT_PERIOD_DAYS = 56
STAFF_ROLES = {"coach", "physical_trainer", "club_admin", "platform_admin"}
VARIANT_NAMES = {"uncoupled_rolling": "Uncoupled rolling", "coupled_rolling": "Coupled rolling", "ewma": "EWMA"}
# (lower edge, upper edge, colour) of the ACWR bands, as on the load board
BANDS = [(0, 0.8, "#d0e4f5"), (0.8, 1.3, "#d4edda"), (1.3, 1.5, "#fff3cd"), (1.5, 3, "#f8d7da")]


def load_figure(days: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    figure.add_bar(x=days["metric_date"], y=days["session_rpe_load_au"], name="Daily load (AU)")
    figure.add_scatter(x=days["metric_date"], y=days["acute_load_au"] / 7, name="Acute: 7-day mean (AU/day)")
    figure.add_scatter(
        x=days["metric_date"], y=days["chronic_load_coupled_weekly_au"] / 7, name="Chronic: 28-day mean (AU/day)"
    )
    figure.update_layout(margin={"t": 30}, legend={"orientation": "h"})
    return figure


def acwr_figure(days: pd.DataFrame, variant: str) -> go.Figure:
    figure = go.Figure()
    for low, high, colour in BANDS:
        figure.add_hrect(y0=low, y1=high, fillcolor=colour, line_width=0, layer="below")
    figure.add_scatter(x=days["metric_date"], y=days[variant], name=VARIANT_NAMES[variant], mode="lines+markers")
    figure.update_layout(margin={"t": 30}, yaxis={"range": [0, 2.5], "title": "ACWR"})
    return figure


def wellness_figure(wellness: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    figure.add_hline(y=-1, line_dash="dot", annotation_text="1 SD worse than usual")
    figure.add_scatter(x=wellness["wellness_date"], y=wellness["wellness_z_score"], mode="lines+markers",
                       name="Wellness z (negative = worse)")  # fmt: skip
    figure.update_layout(margin={"t": 30}, yaxis={"title": "z against own 28 days"})
    return figure


def metrics_frame(days: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(days)
    for variant in VARIANT_NAMES:
        frame[variant] = [next(a["ratio"] for a in d["acwr"] if a["variant"] == variant) for d in days]
    frame["metric_date"] = pd.to_datetime(frame["metric_date"])
    return frame


def choose_player(client: StatsClient, viewer: session.Viewer) -> str | None:
    if not STAFF_ROLES & set(viewer.roles):
        return viewer.user_id
    team_id = st.selectbox("Team", viewer.team_ids, format_func=team_label) if viewer.team_ids else None
    if team_id is None:
        return viewer.user_id
    players = [p["player_id"] for p in client.team_load_board(team_id)["players"]]
    if not players:
        st.info("No player of this team has logged a session yet.")
        return None
    return st.selectbox("Player", players, format_func=lambda p: player_label(p, viewer))


st.title("Player detail")

viewer = session.current_viewer()
if viewer is None:
    st.info("Log in to see training load.")
    st.stop()

settings = DashboardSettings()
client = StatsClient(settings.stats_url, viewer.access_token, timeout=settings.request_timeout_seconds)
today = viewer_today()
try:
    player_id = choose_player(client, viewer)
    if player_id is None:
        st.stop()
    date_from = today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    metrics = client.player_load_metrics(player_id, date_from, today)
    wellness = client.player_wellness(player_id, date_from, today)
    tests = client.player_test_results(player_id)
except ApiError as error:
    show_error(error)
    st.stop()

st.caption(f"The last {DEFAULT_PERIOD_DAYS} days. {metrics['acwr_caveat']}")
st.subheader("Training load")
if not metrics["days"]:
    st.info("No sessions logged in this period: load and ACWR appear once sessions are logged.")
else:
    days = metrics_frame(metrics["days"])
    st.plotly_chart(load_figure(days))
    st.subheader("Acute:chronic workload ratio")
    variant = st.selectbox("ACWR variant", list(VARIANT_NAMES), format_func=VARIANT_NAMES.get)
    if days[variant].isna().all():
        reasons = {r for r in days["acwr_withheld_reason"] if r}
        st.info(
            "No ratio in this period: "
            + (
                "fewer than 28 days of history."
                if reasons == {"under_28_days_of_history"}
                else "fewer than 21 of 28 days with a session or a wellness entry, or too little history."
            )
        )
    else:
        st.plotly_chart(acwr_figure(days, variant))

st.subheader("Wellness")
scored = [d for d in wellness["days"] if d["wellness_z_score"] is not None]
if not wellness["days"]:
    st.info("No wellness questionnaires in this period.")
elif not scored:
    st.info("Not enough questionnaires yet: a z-score needs 7 earlier answers within 28 days.")
else:
    frame = pd.DataFrame(scored)
    frame["wellness_date"] = pd.to_datetime(frame["wellness_date"])
    st.plotly_chart(wellness_figure(frame))

st.subheader("Physical tests")
if not tests["results"]:
    st.info("No test results recorded.")
else:
    results = pd.DataFrame(tests["results"])
    st.dataframe(
        results.rename(
            columns={
                "test_name": "Test",
                "tested_on": "Date",
                "result_value": "Result",
                "unit": "Unit",
                "team_percentile_rank": "Team percentile",
            }  # fmt: skip
        )[["Test", "Date", "Result", "Unit", "Team percentile"]],
        hide_index=True,
    )
