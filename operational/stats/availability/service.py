"""Team availability: the roster's status today, the week ahead from expected returns, and the weekly shares."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from operational.kit.auth import Principal
from operational.stats import repository as stats_repository
from operational.stats.availability import repository
from operational.stats.availability.schemas import TeamAvailabilityRead
from operational.stats.policies import TeamRef
from operational.stats.service import Period
from warehouse.port import ServingCursor

WEEK_AHEAD_DAYS = 7


def _player(row: dict[str, Any]) -> dict[str, Any]:
    recorded = row["availability_status"] is not None
    return {
        "player_id": row["player_id"],
        "player_name": row["player_name"],
        "status": row["availability_status"] or "available",
        "status_recorded": recorded,
        "restrictions": json.loads(row["restrictions_json"] or "[]"),
        "since": row["effective_from"],
        "expected_return": row["expected_until"] if row["availability_status"] != "available" else None,
        "note_for_staff": row["note_for_staff"],
    }


def _expected_status(player: dict[str, Any], day: date) -> str:
    """A limited or unavailable player counts as available from their expected return on."""
    back = player["expected_return"]
    return "available" if back is not None and back <= day else player["status"]


def _week_ahead(players: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    days = []
    for offset in range(WEEK_AHEAD_DAYS):
        day = today + timedelta(days=offset)
        statuses = [_expected_status(p, day) for p in players]
        days.append(
            {
                "day": day,
                "expected_available": statuses.count("available"),
                "expected_limited": statuses.count("limited"),
                "expected_unavailable": statuses.count("unavailable"),
                # an overdue expected return (before today) is not news: only returns due that day are listed
                "returning": [p["player_name"] or "—" for p in players if p["expected_return"] == day],
            }
        )
    return days


def _team_availability(
    cursor: ServingCursor, principal: Principal, team: TeamRef, period: Period
) -> TeamAvailabilityRead:
    today = principal.today()
    players = [_player(row) for row in repository.roster_availability(cursor, principal.org_id, team.team_id)]
    week_from = period.date_from - timedelta(days=period.date_from.weekday())
    statuses = [p["status"] for p in players]
    return TeamAvailabilityRead(
        team_id=team.team_id,
        team_name=team.team_name,
        today=today,
        as_of=stats_repository.snapshot_published_at(cursor),
        available=statuses.count("available"),
        limited=statuses.count("limited"),
        unavailable=statuses.count("unavailable"),
        players=players,
        week_ahead=_week_ahead(players, today),
        weeks=repository.team_weeks(cursor, principal.org_id, team.team_id, week_from, period.date_to),
    )


def team_availability(
    cursor: ServingCursor, principal: Principal, team: TeamRef, period: Period
) -> TeamAvailabilityRead:
    with stats_repository.built_marts():
        return _team_availability(cursor, principal, team, period)
