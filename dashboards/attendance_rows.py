"""Attendance per team, week and player, from the statistics API or, while it has no attendance endpoint, counted
from the club calendar's attendance records. Excused absences do not lower a rate (as in the warehouse)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from dashboards.client import ClubClient

# the calendar is read one occurrence at a time; a season's worth of a team's events at most
MAX_OCCURRENCES = 120
PRESENT = {"present", "late"}


def _first(row: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if row.get(key) is not None:
            return row[key]
    return None


def stats_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows (week_start, player_id, player_name, attended, recorded, excused, rate) from the statistics
    API's answer, whether it lists player-weeks or weeks holding players."""
    rows: list[dict[str, Any]] = []
    for key in ("player_weeks", "items", "rows"):
        if isinstance(payload.get(key), list):
            rows = [dict(r) for r in payload[key]]
            break
    else:
        for week in payload.get("weeks") or []:
            for player in week.get("players") or []:
                rows.append({"week_start": _first(week, "week_start", "week"), **player})
    return [
        {
            "week_start": str(_first(r, "week_start", "week", "week_starting")),
            "player_id": str(r["player_id"]),
            "player_name": r.get("player_name"),
            "attended": _first(r, "events_attended", "attended", "present"),
            "recorded": _first(r, "events_recorded", "recorded", "events"),
            "excused": _first(r, "events_excused", "excused"),
            "rate": _first(r, "attendance_rate", "rate"),
        }
        for r in rows
        if r.get("player_id")
    ]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_rows(
    club: ClubClient, team_id: str, date_from: date, date_to: date, zone: ZoneInfo
) -> tuple[list[dict], int]:
    """Player-week rows counted from each past occurrence's attendance (weeks in the club's time zone ``zone``);
    and how many occurrences had none taken."""
    window_from = datetime.combine(date_from, time.min, zone)
    window_to = min(datetime.combine(date_to + timedelta(days=1), time.min, zone), datetime.now(UTC))
    if window_to <= window_from:
        return [], 0
    occurrences = [o for o in club.occurrences(team_id, window_from, window_to) if not o.get("cancelled")]
    counts: dict[tuple[str, str], dict[str, int]] = {}
    without_records = 0
    for occurrence in occurrences[:MAX_OCCURRENCES]:
        records = club.attendance(occurrence["series_id"], occurrence["occurrence_start"])
        if not records:
            without_records += 1
        week = week_start(datetime.fromisoformat(occurrence["starts_at"]).astimezone(zone).date()).isoformat()
        for record in records:
            count = counts.setdefault((week, str(record["player_id"])), {"attended": 0, "recorded": 0, "excused": 0})
            count["recorded"] += 1
            count["attended"] += record["status"] in PRESENT
            count["excused"] += record["status"] == "excused"
    rows = []
    for (week, player_id), count in counts.items():
        counted = count["recorded"] - count["excused"]
        rows.append(
            {"week_start": week, "player_id": player_id, "player_name": None, **count,
             "rate": count["attended"] / counted if counted else None}
        )  # fmt: skip
    return rows, without_records


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
