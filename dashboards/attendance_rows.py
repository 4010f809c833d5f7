"""Attendance per team, week and player, from the statistics API (fct_weekly_attendance). Excused absences do not
lower a rate (as in the warehouse)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def stats_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows (week_start, player_id, player_name, attended, recorded, excused, rate), one per player and week,
    from the statistics API's team attendance (``players[].weeks[]``)."""
    return [
        {
            "week_start": str(week["week_start"]),
            "player_id": str(player["player_id"]),
            "player_name": player.get("player_name"),
            "attended": week["events_attended"],
            "recorded": week["events_recorded"],
            "excused": week["events_excused"],
            "rate": week["attendance_rate"],
        }
        for player in payload.get("players") or []
        for week in player.get("weeks") or []
    ]


def weeks_by_player(rows: list[dict[str, Any]], labels: dict[str, str]) -> pd.DataFrame:
    """Players (by name) × weeks (Mon dd Mon) of attendance rates, with each player's rate over the whole period."""
    frame = pd.DataFrame(rows)
    frame["Player"] = [labels[p] for p in frame["player_id"]]
    frame["week"] = pd.to_datetime(frame["week_start"])
    table = frame.pivot_table(index="Player", columns="week", values="rate", aggfunc="mean", dropna=False)
    table.columns = [f"Week of {c:%d %b}" for c in table.columns]
    if frame["recorded"].notna().any():
        totals = frame.groupby("Player")[["attended", "recorded", "excused"]].sum(min_count=1)
        counted = totals["recorded"] - totals["excused"].fillna(0)
        whole = (totals["attended"] / counted.where(counted > 0)).astype(float)
    else:
        whole = frame.groupby("Player")["rate"].mean()
    table["Whole period"] = whole
    table = table.reset_index()
    return table.sort_values("Player", key=lambda names: names.str.casefold(), ignore_index=True)
