"""Plotly figures of injury surveillance (IOC 2020 consensus, Bahr et al., BJSM 54:372): burden per group with its
bootstrap 95 % interval, and the risk matrix (incidence × mean severity) with iso-burden curves after Fuller (BJSM
2018;52:1372), where every point on one curve loses the same days per 1,000 h."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

ISO_BURDEN_CURVES = 4


def burden_figure(rows: list[dict[str, Any]], title: str) -> go.Figure:
    """Bars of burden (days lost per 1,000 h) per group, with the 95 % interval as error bars where there is one."""
    shown = [r for r in rows if r.get("burden_days_per_1000h") is not None]
    values = [r["burden_days_per_1000h"] for r in shown]
    above = [(r["burden_ci_high"] - r["burden_days_per_1000h"]) if r.get("burden_ci_high") is not None else 0
             for r in shown]  # fmt: skip
    below = [(r["burden_days_per_1000h"] - r["burden_ci_low"]) if r.get("burden_ci_low") is not None else 0
             for r in shown]  # fmt: skip
    figure = go.Figure(
        go.Bar(
            x=[r["group"] for r in shown],
            y=values,
            name="Burden",
            error_y={"type": "data", "array": above, "arrayminus": below, "visible": True},
            hovertemplate="%{x}: %{y:.1f} days lost per 1,000 h<extra></extra>",
        )
    )
    figure.update_layout(title=title, yaxis_title="Days lost per 1,000 h", height=360, margin={"t": 50, "b": 40})
    return figure


def incidence_figure(rows: list[dict[str, Any]], title: str) -> go.Figure:
    shown = [r for r in rows if r.get("incidence_per_1000h") is not None]
    figure = go.Figure(
        go.Bar(
            x=[r["group"] for r in shown],
            y=[r["incidence_per_1000h"] for r in shown],
            name="Incidence",
            hovertemplate="%{x}: %{y:.2f} per 1,000 h<extra></extra>",
        )
    )
    figure.update_layout(title=title, yaxis_title="Problems per 1,000 h", height=360, margin={"t": 50, "b": 40})
    return figure


def _nice_levels(highest: float) -> list[float]:
    """Round burden levels spread up to about the highest burden shown."""
    if highest <= 0:
        return []
    step = 10 ** np.floor(np.log10(highest / ISO_BURDEN_CURVES))
    for multiple in (1, 2, 5, 10):
        if highest / (step * multiple) <= ISO_BURDEN_CURVES:
            step *= multiple
            break
    return [float(step * k) for k in range(1, ISO_BURDEN_CURVES + 1)]


def risk_matrix_figure(rows: list[dict[str, Any]]) -> go.Figure:
    """Each group at (incidence, mean severity), sized by its problems; dotted curves of equal burden."""
    points = [r for r in rows if r.get("incidence_per_1000h") and r.get("mean_severity_days") is not None]
    figure = go.Figure()
    if points:
        x_top = max(r["incidence_per_1000h"] for r in points) * 1.2
        y_top = max(r["mean_severity_days"] for r in points) * 1.2 or 1.0
        incidence = np.linspace(x_top / 200, x_top, 200)
        for level in _nice_levels(max(r["burden_days_per_1000h"] or 0 for r in points)):
            figure.add_trace(
                go.Scatter(
                    x=incidence,
                    y=level / incidence,
                    mode="lines",
                    line={"dash": "dot", "width": 1, "color": "grey"},
                    name=f"{level:g} days per 1,000 h",
                    hoverinfo="skip",
                )
            )
        figure.add_trace(
            go.Scatter(
                x=[r["incidence_per_1000h"] for r in points],
                y=[r["mean_severity_days"] for r in points],
                mode="markers+text",
                text=[r["group"] for r in points],
                textposition="top center",
                marker={"size": [10 + 4 * r["problems"] for r in points], "opacity": 0.7},
                name="Groups",
                hovertemplate="%{text}: %{x:.2f} per 1,000 h, %{y:.1f} days on average<extra></extra>",
            )
        )
        figure.update_xaxes(range=[0, x_top])
        figure.update_yaxes(range=[0, y_top])
    figure.update_layout(
        title="Risk matrix",
        xaxis_title="Incidence (problems per 1,000 h)",
        yaxis_title="Mean severity (days lost)",
        height=420,
        margin={"t": 50, "b": 40},
    )
    return figure
