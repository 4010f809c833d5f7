"""The season plan's charts: planned against actual load per week, and the form curve running into the weeks ahead
with the key games marked."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import day_axis

PRIORITY_COLOURS = {"A": "#b00020", "B": "#e08a00", "C": "#607d8b"}


def weeks_figure(weeks: list[dict[str, Any]]) -> go.Figure:
    """Bars of the planned load and of the players' mean actual load per week (AU)."""
    frame = pd.DataFrame(weeks)
    frame["week_start"] = pd.to_datetime(frame["week_start"])
    figure = go.Figure()
    figure.add_bar(x=frame["week_start"], y=frame["planned_load_au"], name="Planned (AU)", marker_color="#9fb7d4")
    figure.add_bar(x=frame["week_start"], y=frame["mean_actual_load_au"], name="Actual, mean per player (AU)",
                   marker_color="#1f4e8c")  # fmt: skip
    figure.update_layout(
        barmode="group",
        margin={"t": 30},
        legend={"orientation": "h"},
        xaxis={"type": "date", "tickformat": "%d %b", "title": "Week starting"},
        yaxis={"title": "AU"},
    )
    return figure


def form_figure(days: list[dict[str, Any]], key_games: list[dict[str, Any]], time_zone: str) -> go.Figure:
    """Fitness, fatigue and form per day; the days ahead (computed from the plan) dashed; key games as lines."""
    frame = pd.DataFrame(days)
    frame["metric_date"] = pd.to_datetime(frame["metric_date"])
    logged, ahead = frame[~frame["is_projected"]], frame[frame["is_projected"]]
    if not logged.empty and not ahead.empty:  # join the two parts of each line
        ahead = pd.concat([logged.tail(1), ahead])
    figure = go.Figure()
    for column, name, colour in (
        ("fitness_au", "Fitness (42-day)", "#1f4e8c"),
        ("fatigue_au", "Fatigue (7-day)", "#c2185b"),
        ("form_au", "Form = fitness − fatigue", "#2e7d32"),
    ):
        figure.add_scatter(x=logged["metric_date"], y=logged[column], name=name, line={"color": colour})
        figure.add_scatter(x=ahead["metric_date"], y=ahead[column], name=f"{name}, planned", showlegend=False,
                           line={"color": colour, "dash": "dash"})  # fmt: skip
    for game in key_games:
        day = pd.Timestamp(game["starts_at"]).tz_convert(time_zone).normalize().tz_localize(None)
        colour = PRIORITY_COLOURS.get(game["priority"], "#607d8b")
        figure.add_vline(x=day, line={"color": colour, "dash": "dot"})
        figure.add_annotation(x=day, y=1, yref="paper", text=f"{game['title']} ({game['priority']})",
                              showarrow=False, textangle=-90, xanchor="right", font={"color": colour})  # fmt: skip
    figure.update_layout(
        margin={"t": 30}, legend={"orientation": "h"}, xaxis=day_axis(frame["metric_date"]), yaxis={"title": "AU"}
    )
    return figure
