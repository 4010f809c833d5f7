"""The player charts: daily load with its acute and chronic means, the ACWR over its bands, the wellness trend."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboards import acwr

# The ACWR axis always shows the four bands (the high band starts at 1.5), and grows with the data.
ACWR_AXIS_MINIMUM_TOP = 2.0
ACWR_HEADROOM = 1.15


def acwr_axis_top(ratios: pd.Series) -> float:
    """The top of the ACWR axis: the largest ratio with 15 % headroom, never below 2.0, rounded up to 0.5."""
    numbers = pd.to_numeric(ratios, errors="coerce").dropna()
    highest = float(numbers.max()) if not numbers.empty else 0.0
    return max(ACWR_AXIS_MINIMUM_TOP, math.ceil(highest * ACWR_HEADROOM * 2) / 2)


ONE_DAY_MS = 86_400_000
# With a tick per day up to two weeks of days; beyond that Plotly's own date ticks (weeks, months) are readable.
DAILY_TICKS_UP_TO_DAYS = 14


def day_axis(dates: pd.Series) -> dict:
    """An x axis of calendar days: ticks read "27 Nov", never a time of day (the figures are per day)."""
    axis = {"type": "date", "tickformat": "%d %b", "hoverformat": "%a %d %b %Y"}
    days = pd.to_datetime(dates).dropna()
    if not days.empty and (days.max() - days.min()).days <= DAILY_TICKS_UP_TO_DAYS:
        axis["dtick"] = ONE_DAY_MS
    return axis


def load_figure(days: pd.DataFrame) -> go.Figure:
    """Bars of the daily load; lines of the 7-day and 28-day mean daily load. Days flagged for a check are marked."""
    figure = go.Figure()
    figure.add_bar(x=days["metric_date"], y=days["session_rpe_load_au"], name="Daily load (AU)")
    figure.add_scatter(x=days["metric_date"], y=days["acute_load_au"] / 7, name="Acute: 7-day mean (AU/day)")
    figure.add_scatter(
        x=days["metric_date"], y=days["chronic_load_coupled_weekly_au"] / 7, name="Chronic: 28-day mean (AU/day)"
    )
    if "check_entry" in days and days["check_entry"].notna().any():
        flagged = days[days["check_entry"].notna()]
        figure.add_scatter(
            x=flagged["metric_date"],
            y=flagged["session_rpe_load_au"],
            mode="markers",
            marker={"symbol": "x", "size": 12, "color": "#b00020"},
            name="Check this entry",
            text=flagged["check_entry"],
        )
    figure.update_layout(
        margin={"t": 30}, legend={"orientation": "h"}, xaxis=day_axis(days["metric_date"]), yaxis={"title": "AU"}
    )
    return figure


def acwr_figure(days: pd.DataFrame, ratio_column: str, name: str) -> go.Figure:
    """The ratio over time on the four coloured bands; the axis scales to the data with headroom."""
    top = acwr_axis_top(days[ratio_column])
    figure = go.Figure()
    for low, high, band in acwr.BANDS:
        figure.add_hrect(
            y0=low, y1=top if high is None else min(high, top), fillcolor=acwr.BAND_COLOURS[band], line_width=0,
            layer="below",
        )  # fmt: skip
    figure.add_scatter(x=days["metric_date"], y=days[ratio_column], name=name, mode="lines+markers")
    figure.update_layout(
        margin={"t": 30}, xaxis=day_axis(days["metric_date"]), yaxis={"range": [0, top], "title": "ACWR"}
    )
    return figure


def wellness_figure(wellness: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    figure.add_hline(y=-1, line_dash="dot", annotation_text="1 SD worse than usual")
    figure.add_scatter(x=wellness["wellness_date"], y=wellness["wellness_z_score"], mode="lines+markers",
                       name="Wellness z (negative = worse)")  # fmt: skip
    figure.update_layout(
        margin={"t": 30}, xaxis=day_axis(wellness["wellness_date"]), yaxis={"title": "z against own 28 days"}
    )
    return figure
