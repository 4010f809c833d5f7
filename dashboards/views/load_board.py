"""Team load board: every player's latest acute and chronic load, ACWR with its band, monotony, wellness and
availability, with every flag said in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboards import session
from dashboards.client import ApiError, StatsClient
from dashboards.config import DashboardSettings
from dashboards.display import player_label, show_error, team_label

VARIANTS = {
    "uncoupled_rolling": "Uncoupled rolling (7 d ÷ the 3 weeks before)",
    "coupled_rolling": "Coupled rolling (7 d ÷ 28 d weekly mean)",
    "ewma": "EWMA (7 ÷ 28)",
}
BAND_COLOURS = {"low": "#d0e4f5", "sweet spot": "#d4edda", "elevated": "#fff3cd", "high": "#f8d7da"}
WITHHELD = {
    "under_28_days_of_history": "No ratio yet: fewer than 28 days since the first logged session.",
    "under_21_of_28_days_with_data": "No ratio: fewer than 21 of the last 28 days have a session or a wellness entry.",
}
AVAILABILITY = {"available": "Available", "limited": "Limited", "unavailable": "Unavailable"}


def notes(player: dict, variant: dict) -> str:
    said = []
    if player["acwr_withheld_reason"]:
        said.append(WITHHELD[player["acwr_withheld_reason"]])
    elif variant["ratio"] is None:
        said.append("No ratio: no chronic load to compare with.")
    elif variant["band"] in ("elevated", "high"):
        said.append(f"Load this week is {variant['ratio']:.2f}× the usual weekly load ({variant['band']}).")
    elif variant["band"] == "low":
        said.append(f"Load this week is well below the usual ({variant['ratio']:.2f}×).")
    wellness = player["latest_wellness"]
    if wellness and wellness["below_baseline_flag"]:
        said.append(f"Wellness on {wellness['wellness_date']} is more than 1 SD worse than the player's usual.")
    availability = player["availability"]
    if availability and availability["status"] != "available":
        restrictions = ", ".join(r.replace("_", " ") for r in availability["restrictions"])
        said.append(f"{AVAILABILITY[availability['status']]}" + (f" ({restrictions})." if restrictions else "."))
    if player["training_monotony"] is not None and player["training_monotony"] > 2:
        said.append("Monotonous week: daily loads barely vary (monotony above 2).")
    return " ".join(said)


def board_frame(players: list[dict], variant_key: str, viewer: session.Viewer) -> pd.DataFrame:
    rows = []
    for player in players:
        variant = next(a for a in player["acwr"] if a["variant"] == variant_key)
        wellness = player["latest_wellness"]
        rows.append(
            {
                "Player": player_label(player["player_id"], viewer),
                "Day": player["metric_date"],
                "Acute (AU, 7 d)": player["acute_load_au"],
                "Chronic (AU/week)": round(player["chronic_load_coupled_weekly_au"]),
                "ACWR": variant["ratio"],
                "Band": variant["band"] or "—",
                "Monotony": player["training_monotony"],
                "Strain (AU)": player["training_strain_au"],
                "Wellness z": wellness["wellness_z_score"] if wellness else None,
                "Availability": AVAILABILITY[player["availability"]["status"]] if player["availability"] else "—",
                "Notes": notes(player, variant),
            }
        )
    return pd.DataFrame(rows)


def colour_band(band: str) -> str:
    return f"background-color: {BAND_COLOURS[band]}" if band in BAND_COLOURS else ""


st.title("Team load board")

viewer = session.current_viewer()
if viewer is None:
    st.info("Log in to see your teams' load.")
    st.stop()
if not viewer.team_ids:
    st.info("You are not on a team, so there is no load board to show.")
    st.stop()

team_column, variant_column = st.columns(2)
team_id = team_column.selectbox("Team", viewer.team_ids, format_func=team_label)
variant_key = variant_column.selectbox("ACWR variant", list(VARIANTS), format_func=VARIANTS.get)

settings = DashboardSettings()
client = StatsClient(settings.stats_url, viewer.access_token, timeout=settings.request_timeout_seconds)
try:
    board = client.team_load_board(team_id)
except ApiError as error:
    show_error(error)
    st.stop()

st.info(board["acwr_caveat"])
if not board["players"]:
    st.info("No training load for this team yet: the board fills in once players log their sessions.")
    st.stop()

frame = board_frame(board["players"], variant_key, viewer)
st.dataframe(
    frame.style.map(colour_band, subset=["Band"]).format(
        {"ACWR": "{:.2f}", "Monotony": "{:.2f}", "Strain (AU)": "{:.0f}", "Wellness z": "{:+.1f}"}, na_rep="—"
    ),
    hide_index=True,
)
st.caption(
    "Bands: below 0.8 low · 0.8–1.3 sweet spot · 1.3–1.5 elevated · 1.5 and above high. Acute load is the last 7 "
    "days' total; chronic load the mean weekly total of the last 28 days. Wellness z compares the latest "
    "questionnaire with the player's own previous 28 days (negative = worse than usual)."
)
as_of = datetime.fromisoformat(board["as_of"]).astimezone(UTC)
st.caption(f"Statistics as of {as_of:%Y-%m-%d %H:%M} UTC.")
