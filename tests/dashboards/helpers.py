"""Running the Streamlit app in tests and reading what it shows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboards.session import REFRESH_KEY, TOKEN_KEY
from hub.embedded import free_port

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def open_dashboard(
    monkeypatch,
    stats_url: str,
    token: str | None,
    *,
    gateway_url: str | None = None,
    refresh_token: str | None = None,
    timezone: str | None = None,
    page: str | None = None,
) -> AppTest:
    """The dashboards as someone holding ``token`` sees them (the login form without one); ``page`` is a script
    under dashboards/views/ to open instead of the default page."""
    monkeypatch.setenv("HUB_STATS_URL", stats_url)
    monkeypatch.setenv("HUB_GATEWAY_URL", gateway_url or f"http://127.0.0.1:{free_port()}")
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.context = {"timezone": timezone}
    if token is not None:
        app.session_state[TOKEN_KEY] = token
    if refresh_token is not None:
        app.session_state[REFRESH_KEY] = refresh_token
    app.run()
    return app.switch_page(f"views/{page}.py").run() if page else app


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def shown_text(app: AppTest) -> str:
    """Everything a person reads on the page: texts, notes, labels, options, table cells as shown, chart names."""
    import json

    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in app.get(kind)]
    for element in app.get("metric"):
        parts += [element.label, str(element.value)]
    for box in app.selectbox:
        parts += [box.label, *box.options]
    for element in app.get("expandable"):
        parts.append(element.proto.label)
    for table in app.dataframe:
        parts += [str(v) for v in table_cells(table)]
        parts += [str(c) for c in table.value.columns]
    for chart in app.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        parts += [str(trace.get("name", "")) for trace in figure["data"]]
        parts += [str(axis.get("title", "")) for axis in (figure["layout"].get("xaxis", {}),)]
    return "\n".join(parts)


def table_cells(table) -> list[str]:
    """The cells of a table as the page shows them (the styler's display values when there is one)."""
    import io

    import pyarrow as pa

    styler = table.proto.arrow_data.styler
    if styler.display_values:
        shown = pa.ipc.open_stream(io.BytesIO(styler.display_values)).read_all().to_pandas()
        return [str(v) for v in shown.to_numpy().ravel()]
    return [str(v) for v in table.value.to_numpy().ravel()]


def table_rows(table) -> list[dict[str, str]]:
    """Rows of a table with the cells as shown, keyed by column title."""
    cells = table_cells(table)
    columns = list(table.value.columns)
    return [dict(zip(columns, cells[i : i + len(columns)], strict=True)) for i in range(0, len(cells), len(columns))]


def ids_shown(app: AppTest, ids: Iterable[object]) -> list[str]:
    """Which of ``ids`` (whole, or their first 8 characters as the old labels showed them) appear on the page."""
    text = shown_text(app)
    return [str(i) for i in ids if re.search(re.escape(str(i)[:8]), text)]


RAW_EMPTY = {"None", "nan", "NaN", "<NA>", "NaT", ""}


def raw_empty_cells(app: AppTest) -> list[str]:
    """Table cells that show an empty value some other way than ``—``, in every table on the page: a missing
    value in the data (the table widget draws it as "None", whatever a styler says) or a formatted one."""
    found = []
    for table in app.dataframe:
        found += [f"{column}: missing" for column in table.value.columns if table.value[column].isna().any()]
        found += [cell for cell in table_cells(table) if cell in RAW_EMPTY]
    return found


def add_roster(marts, club) -> None:
    """The club's teams, players and memberships in the warehouse's dimensions, as the users events put them there:
    the statistics of a player the warehouse has no person for are not found."""
    marts.add_team(club.org_id, club.team_id, "U16")
    marts.add_team(club.org_id, club.other_team_id, "U18")
    for name, team in (("player", club.team_id), ("teammate", club.team_id), ("other_player", club.other_team_id)):
        person = club[name]
        marts.add_person(club.org_id, person.id, name.replace("_", " ").title(), is_player=True)
        marts.add_membership(club.org_id, team, person.id, "player")
