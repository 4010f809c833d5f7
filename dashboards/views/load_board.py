"""Team load board: every player's latest acute and chronic load and ACWR (one default variant with its source, the
others as alternatives), monotony, wellness and availability, with every flag said in words."""

from __future__ import annotations

import streamlit as st

from dashboards import acwr
from dashboards.board import NUMBER_FORMATS, board_frame, colour_band, latest_day, load_format
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory
from dashboards.display import (
    as_of_caption,
    choose_team,
    end_page,
    show_error,
    show_table,
    show_team_error,
    signed_in_viewer,
)

st.title("Team load board")

viewer = signed_in_viewer("Log in to see your teams' load.")

stats = stats_client()
directory = Directory(viewer, stats, club_client())
team_column, variant_column = st.columns(2)
team = None
try:
    with st.spinner("Loading the team's load…"):
        team = choose_team(directory, team_column)
        if team is None:
            end_page()
        board = stats.team_load_board(team.id)
        players = board["players"]
        directory.learn(players)
        labels = directory.player_labels([p["player_id"] for p in players], team.id)
except ApiError as error:
    if team is None:
        show_error(error)
    else:
        show_team_error(error, team)
    end_page()

st.info(board["acwr_caveat"])
if not players:
    st.info("No training load for this team yet: the board fills in once players log their sessions.")
    end_page()

available = sorted({key for player in players for key in acwr.variants(player)})
default = acwr.default_variant(board, available)
options = [default, *[key for key in available if key != default]]
variant_key = variant_column.selectbox(
    "ACWR variant",
    options,
    format_func=lambda key: f"{acwr.variant_name(key)} (default)" if key == default else acwr.variant_name(key),
)
st.caption(
    f"**{acwr.variant_name(variant_key)}**: {acwr.VARIANT_METHODS.get(variant_key, '')}. "
    f"Source: {acwr.source(board, variant_key) or 'not given'}."
    + ("" if variant_key == default else f" The default is {acwr.variant_name(default)}; this is an alternative.")
)

frame, notes = board_frame(players, variant_key, labels)
unit = acwr.unit(variant_key)
formats = NUMBER_FORMATS | {f"Acute ({unit})": load_format(variant_key), f"Chronic ({unit})": load_format(variant_key)}
show_table(
    frame,
    formats,
    colour=("Band", colour_band),
    column_config={
        "Player": st.column_config.TextColumn("Player", pinned=True),
        "Flags": st.column_config.TextColumn("Flags", width="medium"),
    },
)
newest = latest_day(players)
st.caption(
    (f"Figures for {newest}. " if newest else "")
    + f"Acute and chronic load are the selected variant's own ({unit}), so acute ÷ chronic is the ratio shown. "
    "Bands: below 0.8 low · 0.8–1.3 sweet spot · 1.3–1.5 elevated · 1.5 and above high. Entries (28 d): share of "
    "the last 28 days with a session or a wellness entry. Wellness z compares the latest questionnaire with the "
    "player's own previous 28 days (negative = worse than usual)."
)
with st.expander(f"Notes per player ({len(notes)})", expanded=bool(notes)):
    if not notes:
        st.write("Nothing to note: every player's figures are within the usual range.")
    for label, sentences in notes.items():
        st.markdown(f"**{label}**: " + " ".join(sentences))
as_of_caption(board.get("as_of"), viewer)
