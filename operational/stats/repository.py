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
LOAD_METRICS = "marts.fct_player_load_metrics"
WELLNESS = "marts.fct_player_wellness_daily"
TEST_RESULTS = "marts.fct_player_test_results"
AVAILABILITY = "marts.dim_player_availability"


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


def player_has_rows(
    cursor: duckdb.DuckDBPyConnection, scope: RowScope, player_id: uuid.UUID, table: str = DAILY_LOAD
) -> bool:
    where, params = _scope_filter(scope)
    row = cursor.execute(
        f"SELECT 1 FROM {table} WHERE {where} AND player_id = ? LIMIT 1", [*params, str(player_id)]
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
        WHERE {where} AND player_id = ? AND session_date BETWEEN ? AND ? AND session_count > 0
        GROUP BY session_date
        ORDER BY session_date
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return _records(cursor)


def team_has_rows(cursor: duckdb.DuckDBPyConnection, scope: RowScope, table: str = DAILY_LOAD) -> bool:
    where, params = _scope_filter(scope)
    return cursor.execute(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1", params).fetchone() is not None


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
        WHERE {where} AND session_date BETWEEN ? AND ? AND session_count > 0
        GROUP BY player_id, session_date
        ORDER BY session_date, player_id
        """,
        [*params, date_from, date_to],
    )
    return _records(cursor)


_METRIC_COLUMNS = """
    metric_date, session_rpe_load_au, day_has_data, history_days, days_with_data_last_28, acute_load_au,
    chronic_load_coupled_weekly_au, chronic_load_uncoupled_weekly_au, ewma_acute_load_au, ewma_chronic_load_au,
    acwr_withheld_reason, acwr_coupled_rolling, acwr_coupled_rolling_band, acwr_uncoupled_rolling,
    acwr_uncoupled_rolling_band, acwr_ewma, acwr_ewma_band, training_monotony, training_strain_au
"""


def team_load_board(cursor: duckdb.DuckDBPyConnection, scope: RowScope) -> list[dict[str, Any]]:
    """Each player's latest load metrics in the team, with their latest wellness and current availability."""
    where, params = _scope_filter(scope)
    cursor.execute(
        f"""
        WITH latest AS (
            SELECT player_id, {_METRIC_COLUMNS},
                   row_number() OVER (PARTITION BY player_id ORDER BY metric_date DESC) AS recency_rank
            FROM {LOAD_METRICS}
            WHERE {where}
        ),
        latest_wellness AS (
            SELECT player_id, wellness_date, instrument, total_score, wellness_z_score, below_baseline_flag,
                   z_score_withheld_reason,
                   row_number() OVER (PARTITION BY player_id ORDER BY wellness_date DESC, instrument) AS recency_rank
            FROM {WELLNESS}
            WHERE org_id = ?
        )
        SELECT latest.*,
               latest_wellness.wellness_date, latest_wellness.instrument, latest_wellness.total_score,
               latest_wellness.wellness_z_score, latest_wellness.below_baseline_flag,
               latest_wellness.z_score_withheld_reason,
               availability.availability_status, availability.restrictions_json, availability.expected_until
        FROM latest
        LEFT JOIN latest_wellness
            ON latest.player_id = latest_wellness.player_id AND latest_wellness.recency_rank = 1
        LEFT JOIN {AVAILABILITY} AS availability
            ON latest.player_id = availability.player_id AND availability.org_id = ?
        WHERE latest.recency_rank = 1
        ORDER BY latest.player_id
        """,
        [*params, str(scope.org_id), str(scope.org_id)],
    )
    return _records(cursor)


def player_load_metrics(
    cursor: duckdb.DuckDBPyConnection, scope: RowScope, player_id: uuid.UUID, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    where, params = _scope_filter(scope)
    cursor.execute(
        f"""
        SELECT {_METRIC_COLUMNS} FROM {LOAD_METRICS}
        WHERE {where} AND player_id = ? AND metric_date BETWEEN ? AND ?
        ORDER BY metric_date
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return _records(cursor)


def player_wellness(
    cursor: duckdb.DuckDBPyConnection, scope: RowScope, player_id: uuid.UUID, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    where, params = _scope_filter(scope)
    cursor.execute(
        f"""
        SELECT wellness_date, instrument, total_score, sleep_hours, baseline_observations, baseline_mean_score,
               baseline_sd_score, wellness_z_score, below_baseline_flag, z_score_withheld_reason
        FROM {WELLNESS}
        WHERE {where} AND player_id = ? AND wellness_date BETWEEN ? AND ?
        ORDER BY wellness_date, instrument
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return _records(cursor)


def player_test_results(
    cursor: duckdb.DuckDBPyConnection, scope: RowScope, player_id: uuid.UUID
) -> list[dict[str, Any]]:
    where, params = _scope_filter(scope)
    cursor.execute(
        f"""
        SELECT result_id, test_id, test_name, unit, direction, result_value, tested_on, is_latest_for_player,
               team_players_tested, team_percentile_rank
        FROM {TEST_RESULTS}
        WHERE {where} AND player_id = ?
        ORDER BY test_name, tested_on
        """,
        [*params, str(player_id)],
    )
    return _records(cursor)
