"""Statistics rules: the period asked for, and what of it the caller may see."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import duckdb

from operational.kit.auth import Principal
from operational.kit.errors import HubError
from operational.stats import policies, repository
from operational.stats.schemas import (
    PlayerDailyLoadRead,
    PlayerLoadMetricsRead,
    PlayerTestResultsRead,
    PlayerWellnessRead,
    TeamDailyLoadRead,
    TeamLoadBoardRead,
)

DEFAULT_PERIOD_DAYS = 28
MAX_PERIOD_DAYS = 366
# The last calendar day anywhere on earth (UTC+14): "today" includes the sessions of a club far east of UTC.
_LATEST_ZONE = timezone(timedelta(hours=14))


class InvalidPeriod(HubError):
    code = "invalid_period"


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date


def today() -> date:
    return datetime.now(_LATEST_ZONE).date()


def resolve_period(date_from: date | None, date_to: date | None) -> Period:
    """The days asked for, both ends inclusive: by default the last 28 days ending today."""
    date_to = date_to or (today() if date_from is None else max(today(), date_from))
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if date_from > date_to:
        raise InvalidPeriod(
            f"'from' ({date_from}) must be on or before 'to' ({date_to}).",
            field="from",
        )
    days = (date_to - date_from).days + 1
    if days > MAX_PERIOD_DAYS:
        raise InvalidPeriod(
            f"The period from {date_from} to {date_to} is {days} days; "
            f"ask for at most {MAX_PERIOD_DAYS} days at a time.",
            field="from",
        )
    return Period(date_from, date_to)


def player_daily_load(
    cursor: duckdb.DuckDBPyConnection, principal: Principal, player_id: uuid.UUID, period: Period
) -> PlayerDailyLoadRead:
    scope = policies.player_scope(principal, player_id)
    # Callers asking about themselves always get an answer, possibly empty; anyone else only about a player
    # with rows they may see, so another club's player looks exactly like an unknown id.
    if player_id != principal.user_id and not repository.player_has_rows(cursor, scope, player_id):
        raise policies.player_not_found()
    days = repository.player_daily_load(cursor, scope, player_id, period.date_from, period.date_to)
    return PlayerDailyLoadRead(
        player_id=player_id,
        as_of=repository.snapshot_published_at(cursor),
        date_from=period.date_from,
        date_to=period.date_to,
        days=days,
    )


def team_daily_load(
    cursor: duckdb.DuckDBPyConnection, principal: Principal, team_id: uuid.UUID, period: Period
) -> TeamDailyLoadRead:
    scope = policies.team_scope(principal, team_id)
    # A team in the caller's token is theirs even before its first session; any other team (an admin asking)
    # must have rows in the caller's club, so another club's team looks exactly like an unknown id.
    if team_id not in principal.team_ids and not repository.team_has_rows(cursor, scope):
        raise policies.team_not_found()
    rows = repository.team_daily_load(cursor, scope, period.date_from, period.date_to)
    return TeamDailyLoadRead(
        team_id=team_id,
        as_of=repository.snapshot_published_at(cursor),
        date_from=period.date_from,
        date_to=period.date_to,
        player_days=rows,
    )


_ACWR_VARIANTS = ("coupled_rolling", "uncoupled_rolling", "ewma")


def _metrics_day(row: dict[str, Any]) -> dict[str, Any]:
    """A load-metrics row with its three ACWR variants gathered into labelled entries."""
    day = {k: v for k, v in row.items() if not k.startswith("acwr_") or k == "acwr_withheld_reason"}
    day["acwr"] = [{"variant": v, "ratio": row[f"acwr_{v}"], "band": row[f"acwr_{v}_band"]} for v in _ACWR_VARIANTS]
    return day


def _visible_player_scope(
    cursor: duckdb.DuckDBPyConnection, principal: Principal, player_id: uuid.UUID, table: str
) -> policies.RowScope:
    scope = policies.player_scope(principal, player_id)
    # As for daily load: another club's player, or one outside the caller's teams, looks like an unknown id.
    if player_id != principal.user_id and not (
        repository.player_has_rows(cursor, scope, player_id)
        or repository.player_has_rows(cursor, scope, player_id, table)
    ):
        raise policies.player_not_found()
    return scope


def team_load_board(cursor: duckdb.DuckDBPyConnection, principal: Principal, team_id: uuid.UUID) -> TeamLoadBoardRead:
    scope = policies.team_scope(principal, team_id)
    if team_id not in principal.team_ids and not repository.team_has_rows(cursor, scope, repository.LOAD_METRICS):
        raise policies.team_not_found()
    players = []
    for row in repository.team_load_board(cursor, scope):
        player = _metrics_day(row)
        player["latest_wellness"] = (
            {
                key: row[key]
                for key in (
                    "wellness_date",
                    "instrument",
                    "total_score",
                    "wellness_z_score",
                    "below_baseline_flag",
                    "z_score_withheld_reason",
                )
            }  # fmt: skip
            if row["wellness_date"] is not None
            else None
        )
        player["availability"] = (
            {
                "status": row["availability_status"],
                "restrictions": json.loads(row["restrictions_json"] or "[]"),
                "expected_until": row["expected_until"],
            }
            if row["availability_status"] is not None
            else None
        )
        players.append(player)
    return TeamLoadBoardRead(team_id=team_id, as_of=repository.snapshot_published_at(cursor), players=players)


def player_load_metrics(
    cursor: duckdb.DuckDBPyConnection, principal: Principal, player_id: uuid.UUID, period: Period
) -> PlayerLoadMetricsRead:
    scope = _visible_player_scope(cursor, principal, player_id, repository.LOAD_METRICS)
    rows = repository.player_load_metrics(cursor, scope, player_id, period.date_from, period.date_to)
    return PlayerLoadMetricsRead(
        player_id=player_id,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=repository.snapshot_published_at(cursor),
        days=[_metrics_day(r) for r in rows],
    )


def player_wellness(
    cursor: duckdb.DuckDBPyConnection, principal: Principal, player_id: uuid.UUID, period: Period
) -> PlayerWellnessRead:
    scope = _visible_player_scope(cursor, principal, player_id, repository.WELLNESS)
    return PlayerWellnessRead(
        player_id=player_id,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=repository.snapshot_published_at(cursor),
        days=repository.player_wellness(cursor, scope, player_id, period.date_from, period.date_to),
    )


def player_test_results(
    cursor: duckdb.DuckDBPyConnection, principal: Principal, player_id: uuid.UUID
) -> PlayerTestResultsRead:
    scope = _visible_player_scope(cursor, principal, player_id, repository.TEST_RESULTS)
    return PlayerTestResultsRead(
        player_id=player_id,
        as_of=repository.snapshot_published_at(cursor),
        results=repository.player_test_results(cursor, scope, player_id),
    )
