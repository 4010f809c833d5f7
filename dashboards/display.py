"""What every page shows the same way: the club's dates and times, tables (one rule for empty cells), the team
picker, and API errors in words."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from dashboards import session
from dashboards.client import ApiError
from dashboards.directory import Directory, Named

EMPTY = "—"  # every cell without a value, in every table
NOT_AVAILABLE_YET = "{what} is not available yet: this version of the club's services does not offer it."


# --- ending a page early ---------------------------------------------------------------------------------------
class PageEnded(BaseException):  # noqa: N818 - a control-flow signal like StopIteration, not an error
    """A page ended early, having said why; ``dashboards/app.py`` catches it around the page.

    A BaseException, so an ``except Exception`` in a page cannot swallow it."""


def end_page() -> NoReturn:
    """End the page here, after it has said why (an empty state, a prompt, an error).

    Pages use this, never ``end_page()``: once a stop is requested Streamlit drops every later message of the run, so a
    ``end_page()`` inside ``with st.spinner(...)`` also drops the spinner's own clearing message, and a spinner that had
    appeared (after its 0.5 s delay, i.e. on a slow load) stays on the page for good. An exception unwinds the open
    spinners and containers first, each sending its closing message, and the page then ends normally.

    Raises:
        PageEnded: always.
    """
    raise PageEnded


# --- the club's time zone ---------------------------------------------------------------------------------------
def club_zone(viewer: session.Viewer) -> ZoneInfo:
    try:
        return ZoneInfo(viewer.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def club_now(viewer: session.Viewer) -> datetime:
    return datetime.now(club_zone(viewer))


def club_today(viewer: session.Viewer) -> date:
    """Today in the club's time zone: what the club's services call today, wherever the browser is."""
    return club_now(viewer).date()


def club_time(moment: datetime | str, viewer: session.Viewer, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(club_zone(viewer)).strftime(fmt)


def as_of_caption(as_of: str | None, viewer: session.Viewer) -> None:
    if as_of:
        st.caption(f"Statistics as of {club_time(as_of, viewer, '%Y-%m-%d %H:%M')} ({viewer.time_zone}).")


# --- tables -------------------------------------------------------------------------------------------------------
def is_empty(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def cell(value: Any, fmt: str | None = None) -> str:
    """A value as a table shows it: ``—`` when there is none, else formatted."""
    if is_empty(value):
        return EMPTY
    return fmt.format(value) if fmt else str(value)


def show_table(
    frame: pd.DataFrame,
    formats: Mapping[str, str] | None = None,
    *,
    colour: tuple[str, Callable[[Any], str]] | None = None,
    column_config: dict[str, Any] | None = None,
    **dataframe_options: Any,
) -> None:
    """``frame`` as a table where every empty cell reads ``—`` and numbers use ``formats`` (column → format, e.g.
    ``"{:.2f}"``). ``colour`` is (column, value → CSS) for cells that carry a colour.

    The table widget draws a missing value as "None" whatever a styler says, so a column with an empty cell is
    shown as text (numbers formatted, right-aligned); a column without one stays numeric and sorts as numbers."""
    formats = dict(formats or {})
    shown = frame.copy()
    config: dict[str, Any] = {}
    as_text: set[str] = set()
    for column in frame.columns:
        values = frame[column]
        if not values.map(is_empty).any():
            continue
        as_text.add(column)
        shown[column] = [cell(v, formats.get(column)) for v in values]
        if pd.api.types.is_numeric_dtype(values.dtype) or values.map(_is_number).any() or column in formats:
            config[column] = st.column_config.TextColumn(str(column), alignment="right")
    styler = shown.style
    for column, fmt in formats.items():
        if column in shown.columns and column not in as_text:
            styler = styler.format(lambda value, fmt=fmt: cell(value, fmt), subset=[column])
    if colour is not None:
        column, css = colour
        styler = styler.map(css, subset=[column])
    st.dataframe(styler, hide_index=True, column_config=config | (column_config or {}), **dataframe_options)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not is_empty(value)


# --- choosing a team ----------------------------------------------------------------------------------------------
def choose_team(directory: Directory, container: Any = st, *, health: bool = False) -> Named | None:
    """The team picker of the team pages (by name); None, with a note saying why, when there is no team.
    ``health``: of the availability and injury pages, which medical staff open for every team."""
    teams = directory.teams(health=health)
    if not teams:
        if directory.viewer.has_any_role("club_admin", "platform_admin"):
            st.info("The club has no teams yet: once an admin creates one, its pages appear here.")
        else:
            st.info("You are not on a team yet, so there is no team to show.")
        return None
    names = {team.id: team.name for team in teams}
    team_id = container.selectbox("Team", list(names), format_func=names.get, key="team")
    return Named(team_id, names[team_id])


def signed_in_viewer(prompt: str) -> session.Viewer:
    """The signed-in viewer; otherwise ``prompt`` (what logging in shows) and the page stops here."""
    viewer = session.current_viewer()
    if viewer is None:
        st.info(prompt)
        end_page()
    return viewer


def chosen_team(directory: Directory, container: Any = st, *, health: bool = False) -> Named:
    """The team the viewer picks on a team page; the page stops here, saying why, when there is none to pick."""
    try:
        with st.spinner("Loading your teams…"):
            team = choose_team(directory, container, health=health)
    except ApiError as error:
        show_error(error)
        end_page()
    if team is None:
        end_page()
    return team


# --- errors -------------------------------------------------------------------------------------------------------
def show_error(error: ApiError, *, what: str | None = None) -> None:
    """An API's refusal in words: never a path, a status code or a traceback."""
    if error.code == "statistics_not_ready":
        st.info("Statistics are not built yet: they appear after the first pipeline run. Try again in a few minutes.")
    elif error.status_code == 401:
        session.end_session()
        st.warning(session.SESSION_ENDED)
        st.button("Log in again")
    elif error.endpoint_missing:
        st.info(NOT_AVAILABLE_YET.format(what=what or "This page"))
    else:
        st.error(error.message)


def show_team_error(error: ApiError, team: Named, *, what: str | None = None) -> None:
    """As show_error; a team the statistics have no rows for (the API answers 404) is an empty team, said so."""
    if error.status_code == 404 and not error.endpoint_missing:
        st.info(f"No statistics for {team.name} yet: they appear once its players log sessions.")
    else:
        show_error(error, what=what)
