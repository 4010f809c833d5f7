"""Player detail: daily load with acute and chronic lines, ACWR over its bands, wellness trend and test history.

Staff pick a team and one of its players; players see themselves; parents pick among their children.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboards import acwr, session
from dashboards.charts import acwr_figure, load_figure, wellness_figure
from dashboards.client import ApiError
from dashboards.connect import club_client, stats_client
from dashboards.directory import Directory, Named
from dashboards.display import (
    as_of_caption,
    choose_team,
    club_today,
    end_page,
    show_error,
    show_table,
    signed_in_viewer,
)
from dashboards.navigation import STAFF_ROLES

DEFAULT_PERIOD_DAYS = 56
LOAD_COLUMNS = ("session_rpe_load_au", "acute_load_au", "chronic_load_coupled_weekly_au")


def metrics_frame(days: list[dict]) -> pd.DataFrame:
    """One row per day, with a ``ratio:<variant>`` column per ACWR variant."""
    frame = pd.DataFrame(days)
    for column in (*LOAD_COLUMNS, "check_entry", "acwr_withheld_reason"):
        if column not in frame:
            frame[column] = None
    keys = sorted({key for day in days for key in acwr.variants(day)})
    for key in keys:
        frame[f"ratio:{key}"] = [getattr(acwr.variants(day).get(key), "ratio", None) for day in days]
    frame["metric_date"] = pd.to_datetime(frame["metric_date"])
    return frame


def players_with_statistics(directory: Directory, team: Named) -> list[Named]:
    """The team's players as the statistics know them, when the club API shows no roster."""
    board = or_empty(lambda: directory.stats.team_load_board(team.id), {"players": []})["players"]
    directory.learn(board)
    labels = directory.player_labels([p["player_id"] for p in board], team.id)
    return sorted((Named(i, n) for i, n in labels.items()), key=lambda p: (p.name.casefold(), p.id))


def choose_player(directory: Directory, viewer: session.Viewer) -> Named | None:
    """Staff: a team, then one of its players. Players and parents: themselves and their children."""
    if viewer.has_any_role(*STAFF_ROLES):
        team_column, player_column = st.columns(2)
        team = choose_team(directory, team_column)
        if team is None:
            return None
        players = directory.roster(team.id) or players_with_statistics(directory, team)
        if not players:
            st.info(f"{team.name} has no players yet.")
            return None
        names = {p.id: p.name for p in players}
        player_id = player_column.selectbox("Player", list(names), format_func=names.get)
        return Named(player_id, names[player_id])
    own = directory.own_players()
    if not own:
        st.info("There is no player's training to show for your account: you are not a player, and no child of "
                "yours is linked to it. Ask your club's administrator to link your child.")  # fmt: skip
        return None
    if len(own) == 1:
        return own[0]
    names = {p.id: p.name for p in own}
    player_id = st.selectbox("Whose training", list(names), format_func=names.get, key="own_player")
    return Named(player_id, names[player_id])


def show_load(metrics: dict) -> None:
    st.subheader("Training load")
    if not metrics["days"]:
        st.info("No sessions logged in this period: load and ACWR appear once sessions are logged.")
        return
    days = metrics_frame(metrics["days"])
    st.plotly_chart(load_figure(days))
    flagged = days[days["check_entry"].notna()]
    for _, day in flagged.iterrows():
        st.warning(f"Check this entry: {day['metric_date']:%Y-%m-%d}, {acwr.humanise(str(day['check_entry']))}.")
    latest = metrics["days"][-1]
    note = acwr.no_entries_note(latest)
    share = acwr.completeness(latest)
    if note:
        st.info(f"{note[0].upper()}{note[1:]}: the latest ratio describes missing entries, not a light week.")
    elif share is not None and share < acwr.THIN_DATA_SHARE:
        st.info(f"Entries on only {share:.0%} of the last 28 days: these figures rest on thin data.")

    st.subheader("Acute:chronic workload ratio")
    available = sorted(c.removeprefix("ratio:") for c in days.columns if c.startswith("ratio:"))
    if not available:
        st.info("No ratio in this period.")
        return
    default = acwr.default_variant(metrics, available)
    options = [default, *[key for key in available if key != default]]
    variant = st.selectbox(
        "ACWR variant",
        options,
        format_func=lambda key: f"{acwr.variant_name(key)} (default)" if key == default else acwr.variant_name(key),
    )
    st.caption(
        f"{acwr.variant_name(variant)}: {acwr.VARIANT_METHODS.get(variant, '')}. "
        f"Source: {acwr.source(metrics, variant) or 'not given'}."
    )
    if days[f"ratio:{variant}"].isna().all():
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
        st.plotly_chart(acwr_figure(days, f"ratio:{variant}", acwr.variant_name(variant)))


def show_wellness(wellness: dict) -> None:
    st.subheader("Wellness")
    scored = [d for d in wellness["days"] if d.get("wellness_z_score") is not None]
    if not wellness["days"]:
        st.info("No wellness questionnaires in this period.")
    elif not scored:
        st.info("Not enough questionnaires yet: a z-score needs 7 earlier answers within 28 days.")
    else:
        frame = pd.DataFrame(scored)
        frame["wellness_date"] = pd.to_datetime(frame["wellness_date"])
        st.plotly_chart(wellness_figure(frame))


def show_tests(tests: dict) -> None:
    st.subheader("Physical tests")
    if not tests["results"]:
        st.info("No test results recorded.")
        return
    results = pd.DataFrame(tests["results"]).rename(
        columns={
            "test_name": "Test",
            "tested_on": "Date",
            "result_value": "Result",
            "unit": "Unit",
            "team_percentile_rank": "Team percentile",
        }  # fmt: skip
    )
    show_table(
        results[["Test", "Date", "Result", "Unit", "Team percentile"]], {"Result": "{:g}", "Team percentile": "{:.0f}"}
    )


def page_title(viewer: session.Viewer, own_page: bool) -> str:
    if not own_page:
        return "Player detail"
    if viewer.has_any_role("player"):
        return "Training" if viewer.guardian_of else "My training"
    return "My child's training"


def or_empty(fetch: Callable[[], dict], empty: dict) -> dict:
    try:
        return fetch()
    except ApiError as error:
        if error.status_code == 404 and not error.endpoint_missing:
            return empty
        raise


viewer = signed_in_viewer("Log in to see training load.")
own_page = not viewer.has_any_role(*STAFF_ROLES)
st.title(page_title(viewer, own_page))

stats = stats_client()
directory = Directory(viewer, stats, club_client())
today = club_today(viewer)
date_from = today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
player: Named | None = None
try:
    with st.spinner("Loading…"):
        player = choose_player(directory, viewer)
        if player is None:
            end_page()
        if own_page:
            st.subheader(player.name)
        metrics = stats.player_load_metrics(player.id, date_from, today)
        # a section the API has no rows for answers 404: that section is empty, the rest of the page still shows
        wellness = or_empty(lambda: stats.player_wellness(player.id, date_from, today), {"days": []})
        tests = or_empty(lambda: stats.player_test_results(player.id), {"results": []})
except ApiError as error:
    if error.status_code == 404 and player is not None and player.id in viewer.guardian_of:
        st.info(f"{player.name}'s statistics are not shared with guardians yet.")
    elif error.status_code == 404 and player is not None and not error.endpoint_missing:
        st.info(f"No statistics for {player.name} yet: they appear once {player.name} logs sessions.")
    else:
        show_error(error, what="This player's statistics")
    end_page()

st.caption(f"The last {DEFAULT_PERIOD_DAYS} days, to {today:%Y-%m-%d}. {metrics['acwr_caveat']}")
show_load(metrics)
show_wellness(wellness)
show_tests(tests)
as_of_caption(metrics.get("as_of"), viewer)
