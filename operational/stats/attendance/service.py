"""Team attendance: the marts' weekly rows, totalled per player and per week over the period."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from operational.kit.auth import Principal
from operational.stats import policies
from operational.stats import repository as stats_repository
from operational.stats.attendance import repository
from operational.stats.attendance.schemas import TeamAttendanceRead
from operational.stats.policies import TeamRef
from operational.stats.service import Period
from warehouse.port import ServingCursor


def _totals(weeks: Iterable[dict[str, Any]]) -> dict[str, Any]:
    recorded = attended = excused = 0
    for week in weeks:
        recorded += week["events_recorded"]
        attended += week["events_attended"]
        excused += week["events_excused"]
    counted = recorded - excused
    return {
        "events_recorded": recorded,
        "events_attended": attended,
        "events_excused": excused,
        # excused absences do not count against the player, as in fct_weekly_attendance
        "attendance_rate": round(attended / counted, 3) if counted else None,
    }


def team_attendance(cursor: ServingCursor, principal: Principal, team: TeamRef, period: Period) -> TeamAttendanceRead:
    """Weeks starting in the period (the week of ``from`` included), per player and for the team."""
    week_from = period.date_from - timedelta(days=period.date_from.weekday())
    rows = repository.team_weeks(cursor, policies.team_scope(principal, team), week_from, period.date_to)
    players: dict[str, dict[str, Any]] = {}
    by_week: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:  # ordered by name, then week
        player = players.setdefault(
            row["player_id"], {"player_id": row["player_id"], "player_name": row["player_name"], "weeks": []}
        )
        week = {k: row[k] for k in ("week_start", "events_recorded", "events_attended", "events_excused")}
        week["attendance_rate"] = _totals([week])["attendance_rate"]
        player["weeks"].append(week)
        by_week.setdefault(row["week_start"], []).append(week)
    for player in players.values():
        player.update(_totals(player["weeks"]))
    return TeamAttendanceRead(
        team_id=team.team_id,
        team_name=team.team_name,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=stats_repository.snapshot_published_at(cursor),
        weeks=[{"week_start": start, **_totals(weeks)} for start, weeks in sorted(by_week.items())],
        players=list(players.values()),
    )
