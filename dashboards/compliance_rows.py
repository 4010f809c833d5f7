"""Who has logged session RPE and wellness lately, from the statistics API's team compliance. "Today" is the
club's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Compliance:
    player_id: str
    player_name: str | None
    last_rpe: date | None
    last_wellness: date | None


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def from_stats(payload: dict[str, Any]) -> list[Compliance]:
    """One entry per player on the roster (``players[]`` of the team compliance answer)."""
    return [
        Compliance(
            player_id=str(item["player_id"]),
            player_name=item.get("player_name"),
            last_rpe=_day(item.get("last_rpe_date")),
            last_wellness=_day(item.get("last_wellness_date")),
        )
        for item in payload.get("players") or []
    ]


def days_since(day: date | None, today: date) -> int | None:
    return None if day is None else max((today - day).days, 0)


def rows(entries: list[Compliance], labels: dict[str, str], today: date) -> list[dict[str, Any]]:
    """One row per player, by name: what they logged today and when they last did."""
    table = [
        {
            "Player": labels[entry.player_id],
            "RPE today": "yes" if entry.last_rpe == today else "no",
            "Wellness today": "yes" if entry.last_wellness == today else "no",
            "Last RPE": entry.last_rpe.isoformat() if entry.last_rpe else None,
            "Days since RPE": days_since(entry.last_rpe, today),
            "Last wellness": entry.last_wellness.isoformat() if entry.last_wellness else None,
            "Days since wellness": days_since(entry.last_wellness, today),
        }
        for entry in entries
    ]
    return sorted(table, key=lambda row: row["Player"].casefold())


def not_logged_in_window(payload: dict[str, Any], labels: dict[str, str]) -> tuple[list[str], list[str]]:
    """Names of the players with no RPE log, and with no wellness answer, in the answer's window, by name."""
    players = payload.get("players") or []
    no_rpe = [
        labels.get(str(p["player_id"]), p.get("player_name") or "") for p in players if not p["rpe_days_in_window"]
    ]
    no_wellness = [
        labels.get(str(p["player_id"]), p.get("player_name") or "") for p in players if not p["wellness_days_in_window"]
    ]
    return sorted(no_rpe, key=str.casefold), sorted(no_wellness, key=str.casefold)


def weekly_rows(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The team's monitoring compliance per week, as the page's table shows it."""
    return [
        {
            "Week of": date.fromisoformat(str(week["week_start"])[:10]).strftime("%d %b %Y"),
            "Wellness answered": f"{week['wellness_answers']} of {week['expected_wellness_answers']}",
            "Wellness compliance": week["wellness_compliance"],
            "RPE logs": week["rpe_logs"],
            "Sessions attended": week["sessions_attended"],
            "RPE logs per attended session": week["rpe_compliance"],
        }
        for week in weeks
    ]
