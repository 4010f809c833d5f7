"""Planning insights: the marts' rows in the caller's scope, grouped per team, player and day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from operational.kit.auth import Principal
from operational.stats import policies
from operational.stats import repository as stats_repository
from operational.stats.planning import repository
from operational.stats.planning.schemas import GoalsRead, SeasonPlanRead, TeamEffortRead, TeamFormRead
from operational.stats.policies import PlayerRef, TeamRef
from operational.stats.service import InvalidPeriod
from warehouse.port import ServingCursor

MAX_DAYS = 400


@dataclass(frozen=True)
class Window:
    first: date
    last: date


def window(principal: Principal, first: date | None, last: date | None, *, back: int, ahead: int) -> Window:
    """The days asked for (both included); by default ``back`` days before the club's today to ``ahead`` after."""
    today = principal.today()
    first = first or (today - timedelta(days=back) if last is None else last - timedelta(days=back + ahead))
    last = last or max(first, today) + timedelta(days=ahead)
    if first > last:
        raise InvalidPeriod(f"'from' ({first}) must be on or before 'to' ({last}).", field="from")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidPeriod(f"Ask for at most {MAX_DAYS} days at a time.", field="from")
    return Window(first, last)


def _by_player(rows: list[dict[str, Any]], item_keys: tuple[str, ...], list_name: str) -> list[dict[str, Any]]:
    players: dict[str, dict[str, Any]] = {}
    for row in rows:  # ordered by name, then day or week
        player = players.setdefault(
            row["player_id"], {"player_id": row["player_id"], "player_name": row["player_name"], list_name: []}
        )
        player[list_name].append({key: row[key] for key in item_keys})
    return list(players.values())


WEEK_KEYS = (
    "week_start",
    "planned_load_au",
    "actual_load_au",
    "planned_sessions",
    "scheduled_sessions",
    "scheduled_load_au",
    "logged_sessions",
    "actual_to_planned_load_ratio",
    "sessions_missed",
    "sessions_added",
    "is_complete_week",
    "games_scheduled",
    "games_logged",
)
DAY_KEYS = ("metric_date", "is_projected", "load_au", "fitness_au", "fatigue_au", "form_au")


def season_plan(cursor: ServingCursor, principal: Principal, team: TeamRef, span: Window) -> SeasonPlanRead:
    scope = policies.team_scope(principal, team)
    first = span.first - timedelta(days=span.first.weekday())
    return SeasonPlanRead(
        team_id=team.team_id,
        team_name=team.team_name,
        first_week=first,
        last_week=span.last - timedelta(days=span.last.weekday()),
        as_of=stats_repository.snapshot_published_at(cursor),
        weeks=repository.team_weeks(cursor, scope, first, span.last),
        key_games=repository.key_games(cursor, scope, span.first, span.last),
        players=_by_player(repository.player_weeks(cursor, scope, first, span.last), WEEK_KEYS, "weeks"),
    )


def team_form(cursor: ServingCursor, principal: Principal, team: TeamRef, span: Window) -> TeamFormRead:
    scope = policies.team_scope(principal, team)
    rows = repository.form_days(cursor, scope, span.first, span.last)
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_day[row["metric_date"]].append(row)
    days = [
        {
            "metric_date": day,
            # a day is projected for the team once every player's series has run past their logs
            "is_projected": all(r["is_projected"] for r in day_rows),
            **{key: round(fmean(r[key] for r in day_rows), 2) for key in DAY_KEYS[2:]},
        }
        for day, day_rows in sorted(by_day.items())
    ]
    return TeamFormRead(
        team_id=team.team_id,
        team_name=team.team_name,
        as_of=stats_repository.snapshot_published_at(cursor),
        days=days,
        key_games=repository.key_games(cursor, scope, span.first, span.last),
        players=_by_player(rows, DAY_KEYS, "days"),
    )


def player_form(cursor: ServingCursor, principal: Principal, player: PlayerRef, span: Window):
    scope = policies.player_scope(principal, player.player_id)
    rows = repository.form_days(cursor, scope, span.first, span.last, player_id=player.player_id)
    return {
        "player_id": player.player_id,
        "player_name": player.player_name,
        "days": [{key: row[key] for key in DAY_KEYS} for row in rows],
    }


def team_effort(cursor: ServingCursor, principal: Principal, team: TeamRef) -> TeamEffortRead:
    return TeamEffortRead(
        team_id=team.team_id,
        team_name=team.team_name,
        as_of=stats_repository.snapshot_published_at(cursor),
        items=repository.effort(cursor, policies.team_scope(principal, team)),
    )


def team_goals(cursor: ServingCursor, principal: Principal, team: TeamRef) -> GoalsRead:
    rows = repository.goals(cursor, policies.team_scope(principal, team))
    return GoalsRead(as_of=stats_repository.snapshot_published_at(cursor), items=rows)


def player_goals(cursor: ServingCursor, principal: Principal, player: PlayerRef) -> GoalsRead:
    scope = policies.player_scope(principal, player.player_id)
    rows = repository.goals(cursor, scope, player_id=player.player_id, team_ids=player.team_ids)
    return GoalsRead(as_of=stats_repository.snapshot_published_at(cursor), items=rows)
