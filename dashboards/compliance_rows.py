"""Who has logged session RPE and wellness lately: from the statistics API's compliance endpoint or, while it has
none, from the club API's own lists of RPE logs and wellness answers. "Today" is the club's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dashboards.client import ClubClient

LOOK_BACK_DAYS = 14


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


def _first(row: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if row.get(key) is not None:
            return row[key]
    return None


def from_stats(payload: dict[str, Any]) -> list[Compliance]:
    items = _first(payload, "players", "items") or []
    return [
        Compliance(
            player_id=str(item["player_id"]),
            player_name=item.get("player_name"),
            last_rpe=_day(_first(item, "last_rpe_date", "last_rpe_logged_on", "last_session_rpe_date")),
            last_wellness=_day(_first(item, "last_wellness_date", "last_wellness_answered_on")),
        )
        for item in items
        if item.get("player_id")
    ]


def from_club(club: ClubClient, team_id: str, roster_ids: list[str], today: date) -> list[Compliance]:
    """The roster's latest RPE log and wellness answer in the last two weeks, from the club API's lists."""
    since = today - timedelta(days=LOOK_BACK_DAYS - 1)
    wanted = set(roster_ids)
    last_rpe: dict[str, date] = {}
    last_wellness: dict[str, date] = {}
    for found, items, day_key in (
        (last_rpe, club.rpe_logs(since, today), "session_date"),
        (last_wellness, club.wellness(since, today), "wellness_date"),
    ):
        for item in items:
            player_id = str(item["player_id"])
            if player_id in wanted:
                day = _day(item[day_key])
                if day is not None and (player_id not in found or day > found[player_id]):
                    found[player_id] = day
    return [Compliance(p, None, last_rpe.get(p), last_wellness.get(p)) for p in roster_ids]


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
