"""All SQL of the stats service, against the newest serving snapshot (never the pipeline's warehouse file).

Every query is scoped by the caller's club in SQL, and every value is a bound parameter.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

import duckdb
from fastapi import Depends, Request

from operational.kit.errors import Unavailable
from operational.stats.policies import RowScope

DAILY_LOAD = "marts.fct_player_daily_load"


class StatisticsNotReady(Unavailable):
    code = "statistics_not_ready"

    def __init__(self) -> None:
        super().__init__(
            "Statistics are not built yet: they appear after the first pipeline run. Try again in a few minutes."
        )


def _snapshot_cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    cursor = request.app.state.snapshots.cursor()
    if cursor is None:
        raise StatisticsNotReady()
    try:
        yield cursor
    finally:
        cursor.close()


SnapshotDep = Annotated[duckdb.DuckDBPyConnection, Depends(_snapshot_cursor)]


def _scope_filter(scope: RowScope) -> tuple[str, list[Any]]:
    if scope.team_ids is None:
        return "org_id = ?", [str(scope.org_id)]
    return "org_id = ? AND list_contains(?::VARCHAR[], team_id)", [
        str(scope.org_id),
        sorted(str(t) for t in scope.team_ids),
    ]


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def snapshot_published_at(cursor: duckdb.DuckDBPyConnection) -> datetime:
    row = cursor.execute("SELECT max(published_at) FROM main.snapshot_info").fetchone()
    return row[0]


def player_has_rows(cursor: duckdb.DuckDBPyConnection, scope: RowScope, player_id: uuid.UUID) -> bool:
    where, params = _scope_filter(scope)
    row = cursor.execute(
        f"SELECT 1 FROM {DAILY_LOAD} WHERE {where} AND player_id = ? LIMIT 1", [*params, str(player_id)]
    ).fetchone()
    return row is not None


def player_daily_load(
    cursor: duckdb.DuckDBPyConnection, scope: RowScope, player_id: uuid.UUID, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    """One row per day; a player's sessions for several teams on one day add up."""
    where, params = _scope_filter(scope)
    cursor.execute(
        f"""
        SELECT session_date,
               sum(session_count)::BIGINT AS session_count,
               sum(total_duration_minutes)::BIGINT AS total_duration_minutes,
               sum(session_rpe_load_au)::BIGINT AS session_rpe_load_au
        FROM {DAILY_LOAD}
        WHERE {where} AND player_id = ? AND session_date BETWEEN ? AND ?
        GROUP BY session_date
        ORDER BY session_date
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return _records(cursor)


def team_has_rows(cursor: duckdb.DuckDBPyConnection, scope: RowScope) -> bool:
    where, params = _scope_filter(scope)
    return cursor.execute(f"SELECT 1 FROM {DAILY_LOAD} WHERE {where} LIMIT 1", params).fetchone() is not None


def team_daily_load(
    cursor: duckdb.DuckDBPyConnection, scope: RowScope, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    where, params = _scope_filter(scope)
    cursor.execute(
        f"""
        SELECT player_id,
               session_date,
               sum(session_count)::BIGINT AS session_count,
               sum(total_duration_minutes)::BIGINT AS total_duration_minutes,
               sum(session_rpe_load_au)::BIGINT AS session_rpe_load_au
        FROM {DAILY_LOAD}
        WHERE {where} AND session_date BETWEEN ? AND ?
        GROUP BY player_id, session_date
        ORDER BY session_date, player_id
        """,
        [*params, date_from, date_to],
    )
    return _records(cursor)
