"""Goals as people read them: what is measured, the target and the progress, in words and numbers, never ids."""

from __future__ import annotations

from typing import Any

import pandas as pd

SIGNS = {"at_least": "≥", "at_most": "≤"}


def measures(goal: dict[str, Any]) -> str:
    metric = goal["metric"]
    if metric == "test_result":
        return str(goal.get("test_name") or "Test result")
    return {
        "attendance_rate": "Attendance",
        "wellness_compliance": "Wellness answered",
        "weekly_load": "Weekly load",
    }.get(metric, metric.replace("_", " ").capitalize())


def _number(value: float) -> str:
    return f"{value:g}"


def target(goal: dict[str, Any]) -> str:
    value = goal["target_value"]
    if goal["metric"] == "weekly_load":
        return f"{_number(value)}–{_number(goal['target_max_value'])} AU"
    unit = " %" if goal["metric"] in ("attendance_rate", "wellness_compliance") else ""
    return f"{SIGNS.get(goal['comparator'], '≥')} {_number(value)}{unit}"


def goals_frame(goals: list[dict[str, Any]], *, whose: bool) -> pd.DataFrame:
    """One row per goal, soonest due first; ``whose`` adds the player (or "Team") column."""
    rows = []
    for goal in goals:
        row = {"Goal": goal["title"]}
        if whose:
            row["Whose"] = "Team" if goal["player_id"] is None else goal.get("player_name") or "A player"
        status = "Met" if goal["is_met"] else "Not yet measured" if goal["is_met"] is None else "Not yet"
        row |= {
            "Measures": measures(goal),
            "Target": target(goal),
            "Now": goal["current_value"],
            "Progress (%)": goal["progress_pct"],
            "Due": goal["due_on"],
            "Status": status,
        }
        rows.append(row)
    return pd.DataFrame(rows)
