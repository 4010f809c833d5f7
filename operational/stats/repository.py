"""All SQL of the stats service, against the newest serving copy of the marts (never the pipeline's warehouse
file): a snapshot file on DuckDB, the ``serving`` schema on Postgres, through the warehouse port's reader.

The same SQL runs on both: ``?`` placeholders, functions both engines know (``= ANY(?::VARCHAR[])`` for a list),
mart tables named without a schema. Every query is scoped by the caller's club in SQL, and every value is a bound
parameter. Names come from the marts' dimensions (dim_players, dim_teams); lists of people are ordered by name.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from operational.kit.errors import Unavailable
from operational.stats.policies import PlayerRef, RowScope, TeamRef
from warehouse.port import MISSING_RELATION_ERRORS, ServingCursor

DAILY_LOAD = "fct_player_daily_load"
LOAD_METRICS = "fct_player_load_metrics"
WELLNESS = "fct_player_wellness_daily"
TEST_RESULTS = "fct_player_test_results"
AVAILABILITY = "dim_player_availability"
PLAYERS = "dim_players"
TEAMS = "dim_teams"
MEMBERSHIPS = "dim_team_memberships"

# Case-insensitive by name, people without a known name last, the id breaking ties so the order is total.
BY_PLAYER_NAME = "lower(players.player_name) NULLS LAST, {table}.player_id"


class StatisticsNotReady(Unavailable):
    code = "statistics_not_ready"

    def __init__(self) -> None:
        super().__init__(
            "Statistics are not built yet: they appear after the first pipeline run. Try again in a few minutes."
        )


@contextlib.contextmanager
def built_marts() -> Iterator[None]:
    """A snapshot published before a mart existed (the first pipeline pass after an upgrade has not run yet) answers
    "not built yet" rather than failing."""
    try:
        yield
    except MISSING_RELATION_ERRORS as error:
        raise StatisticsNotReady() from error


def _snapshot_cursor(request: Request) -> Iterator[ServingCursor]:
    cursor = request.app.state.snapshots.cursor()
    if cursor is None:
        raise StatisticsNotReady()
    try:
        yield cursor
    finally:
        cursor.close()


def _optional_snapshot_cursor(request: Request) -> Iterator[ServingCursor | None]:
    cursor = request.app.state.snapshots.cursor()
    try:
        yield cursor
    finally:
        if cursor is not None:
            cursor.close()


SnapshotDep = Annotated[ServingCursor, Depends(_snapshot_cursor)]
# For answers that make sense before the first pipeline run (who the caller is), with names once there are some.
OptionalSnapshotDep = Annotated[ServingCursor | None, Depends(_optional_snapshot_cursor)]


def scope_filter(scope: RowScope, table: str) -> tuple[str, list[Any]]:
    """The WHERE condition (on ``table``'s alias) limiting rows to the scope, and its parameters."""
    if scope.team_ids is None:
        return f"{table}.org_id = ?", [str(scope.org_id)]
    return f"{table}.org_id = ? AND {table}.team_id = ANY(?::VARCHAR[])", [
        str(scope.org_id),
        sorted(str(t) for t in scope.team_ids),
    ]


def player_names_join(table: str) -> str:
    return (
        f"LEFT JOIN {PLAYERS} AS players ON players.player_id = {table}.player_id AND players.org_id = {table}.org_id"
    )


def records(cursor: ServingCursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def snapshot_published_at(cursor: ServingCursor) -> datetime:
    row = cursor.execute("SELECT max(published_at) FROM snapshot_info").fetchone()
    return row[0]


# people and teams ------------------------------------------------------------------------------------------------

CLUBS = "dim_clubs"


def club_acwr_variant(cursor: ServingCursor, org_id: uuid.UUID) -> str | None:
    """The ACWR variant the club chose in its configuration (dim_clubs); None before the club reached the warehouse."""
    row = cursor.execute(f"SELECT default_acwr_variant FROM {CLUBS} WHERE org_id = ?", [str(org_id)]).fetchone()
    return row[0] if row else None


def player_ref(cursor: ServingCursor, player_id: uuid.UUID) -> PlayerRef | None:
    """The person from dim_players (or, before their profile arrived, from their rows), with the teams they
    played for or have rows under; None when the snapshot knows nothing of them."""
    person = cursor.execute(
        f"SELECT org_id, player_name FROM {PLAYERS} WHERE player_id = ?", [str(player_id)]
    ).fetchone()
    if person is None:
        person = cursor.execute(
            f"SELECT org_id, NULL FROM {DAILY_LOAD} WHERE player_id = ? LIMIT 1", [str(player_id)]
        ).fetchone()
    if person is None:
        return None
    org_id, name = person
    teams = cursor.execute(
        f"""
        SELECT team_id FROM {MEMBERSHIPS} WHERE org_id = ? AND player_id = ? AND role = 'player'
        UNION
        SELECT team_id FROM {DAILY_LOAD} WHERE org_id = ? AND player_id = ? AND team_id IS NOT NULL
        """,
        [org_id, str(player_id), org_id, str(player_id)],
    ).fetchall()
    return PlayerRef(uuid.UUID(str(player_id)), uuid.UUID(org_id), name, frozenset(uuid.UUID(t) for (t,) in teams))


def team_ref(cursor: ServingCursor, team_id: uuid.UUID) -> TeamRef | None:
    row = cursor.execute(f"SELECT org_id, team_name FROM {TEAMS} WHERE team_id = ?", [str(team_id)]).fetchone()
    if row is None:
        row = cursor.execute(
            f"SELECT org_id, NULL FROM {DAILY_LOAD} WHERE team_id = ? LIMIT 1", [str(team_id)]
        ).fetchone()
    return None if row is None else TeamRef(team_id, uuid.UUID(row[0]), row[1])


def player_names(cursor: ServingCursor, org_id: uuid.UUID, ids: list[uuid.UUID]) -> dict[str, str | None]:
    rows = cursor.execute(
        f"SELECT player_id, player_name FROM {PLAYERS} WHERE org_id = ? AND player_id = ANY(?::VARCHAR[])",
        [str(org_id), [str(i) for i in ids]],
    ).fetchall()
    return dict(rows)


def team_names(cursor: ServingCursor, org_id: uuid.UUID, ids: list[uuid.UUID] | None) -> dict[str, str | None]:
    """Names of the given teams of the club, or of all its teams when ``ids`` is None."""
    if ids is None:
        rows = cursor.execute(f"SELECT team_id, team_name FROM {TEAMS} WHERE org_id = ?", [str(org_id)]).fetchall()
    else:
        rows = cursor.execute(
            f"SELECT team_id, team_name FROM {TEAMS} WHERE org_id = ? AND team_id = ANY(?::VARCHAR[])",
            [str(org_id), [str(i) for i in ids]],
        ).fetchall()
    return dict(rows)


def is_player(cursor: ServingCursor, org_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    row = cursor.execute(
        f"SELECT is_player FROM {PLAYERS} WHERE org_id = ? AND player_id = ?", [str(org_id), str(person_id)]
    ).fetchone()
    return bool(row and row[0])


# daily load ------------------------------------------------------------------------------------------------------


def player_daily_load(
    cursor: ServingCursor, scope: RowScope, player_id: uuid.UUID, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    """One row per day with a session, with the day's implausible-load flag."""
    where, params = scope_filter(scope, "load")
    cursor.execute(
        f"""
        SELECT session_date,
               sum(session_count)::BIGINT AS session_count,
               sum(total_duration_minutes)::BIGINT AS total_duration_minutes,
               sum(session_rpe_load_au)::BIGINT AS session_rpe_load_au,
               max(check_entry_reason) AS check_entry_reason,
               max(highest_load_previous_28_days_au) AS highest_load_previous_28_days_au
        FROM {DAILY_LOAD} AS load
        WHERE {where} AND player_id = ? AND session_date BETWEEN ? AND ? AND session_count > 0
        GROUP BY session_date
        ORDER BY session_date
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return records(cursor)


def team_daily_load(cursor: ServingCursor, scope: RowScope, date_from: date, date_to: date) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "load")
    cursor.execute(
        f"""
        SELECT load.player_id, any_value(players.player_name) AS player_name, load.session_date,
               sum(load.session_count)::BIGINT AS session_count,
               sum(load.total_duration_minutes)::BIGINT AS total_duration_minutes,
               sum(load.session_rpe_load_au)::BIGINT AS session_rpe_load_au,
               max(load.check_entry_reason) AS check_entry_reason,
               max(load.highest_load_previous_28_days_au) AS highest_load_previous_28_days_au
        FROM {DAILY_LOAD} AS load
        {player_names_join("load")}
        WHERE {where} AND load.session_date BETWEEN ? AND ? AND load.session_count > 0
        GROUP BY load.player_id, load.session_date
        ORDER BY load.session_date, lower(any_value(players.player_name)) NULLS LAST, load.player_id
        """,
        [*params, date_from, date_to],
    )
    return records(cursor)


# load metrics, wellness, tests -----------------------------------------------------------------------------------

METRIC_COLUMNS = """
    metrics.metric_date, metrics.session_rpe_load_au, metrics.day_has_data, metrics.history_days,
    metrics.days_with_data_last_7, metrics.days_with_data_last_28, metrics.data_completeness_last_28,
    metrics.acute_load_au,
    metrics.chronic_load_coupled_weekly_au, metrics.chronic_load_uncoupled_weekly_au, metrics.ewma_acute_load_au,
    metrics.ewma_chronic_load_au, metrics.acwr_withheld_reason, metrics.acwr_coupled_rolling,
    metrics.acwr_coupled_rolling_band, metrics.acwr_uncoupled_rolling, metrics.acwr_uncoupled_rolling_band,
    metrics.acwr_ewma, metrics.acwr_ewma_band, metrics.training_monotony, metrics.training_strain_au,
    metrics.check_entry_reason, metrics.highest_load_previous_28_days_au
"""


def team_load_board(cursor: ServingCursor, scope: RowScope) -> list[dict[str, Any]]:
    """Each player's latest load metrics in the team, the last day they reported anything, the latest day of the
    acute week flagged for checking, their latest wellness and current availability; by name."""
    where, params = scope_filter(scope, "metrics")
    org = str(scope.org_id)
    cursor.execute(
        f"""
        WITH scoped AS (
            SELECT {METRIC_COLUMNS}, metrics.player_id, metrics.org_id,
                   row_number() OVER (PARTITION BY metrics.player_id ORDER BY metrics.metric_date DESC) AS recency_rank
            FROM {LOAD_METRICS} AS metrics
            WHERE {where}
        ),
        latest AS (SELECT * FROM scoped WHERE recency_rank = 1),
        last_entry AS (
            SELECT player_id, max(metric_date) AS last_entry_date FROM scoped WHERE day_has_data GROUP BY player_id
        ),
        flagged AS (
            SELECT scoped.player_id, scoped.metric_date AS check_entry_date,
                   scoped.session_rpe_load_au AS check_entry_load_au,
                   scoped.check_entry_reason AS flagged_reason,
                   scoped.highest_load_previous_28_days_au AS flagged_previous_high_au,
                   row_number() OVER (PARTITION BY scoped.player_id ORDER BY scoped.metric_date DESC) AS recency_rank
            FROM scoped
            JOIN latest ON latest.player_id = scoped.player_id
            WHERE scoped.check_entry_reason IS NOT NULL AND scoped.metric_date > latest.metric_date - 7
        ),
        latest_wellness AS (
            SELECT player_id, wellness_date, instrument, total_score, wellness_z_score, below_baseline_flag,
                   z_score_withheld_reason,
                   row_number() OVER (PARTITION BY player_id ORDER BY wellness_date DESC, instrument) AS recency_rank
            FROM {WELLNESS}
            WHERE org_id = ?
        )
        SELECT latest.*, players.player_name, last_entry.last_entry_date,
               flagged.check_entry_date, flagged.check_entry_load_au, flagged.flagged_reason,
               flagged.flagged_previous_high_au,
               latest_wellness.wellness_date, latest_wellness.instrument, latest_wellness.total_score,
               latest_wellness.wellness_z_score, latest_wellness.below_baseline_flag,
               latest_wellness.z_score_withheld_reason,
               availability.availability_status, availability.restrictions_json, availability.expected_until
        FROM latest
        {player_names_join("latest")}
        LEFT JOIN last_entry ON latest.player_id = last_entry.player_id
        LEFT JOIN flagged ON latest.player_id = flagged.player_id AND flagged.recency_rank = 1
        LEFT JOIN latest_wellness
            ON latest.player_id = latest_wellness.player_id AND latest_wellness.recency_rank = 1
        LEFT JOIN {AVAILABILITY} AS availability
            ON latest.player_id = availability.player_id AND availability.org_id = ?
        ORDER BY {BY_PLAYER_NAME.format(table="latest")}
        """,
        [*params, org, org],
    )
    return records(cursor)


def player_load_metrics(
    cursor: ServingCursor, scope: RowScope, player_id: uuid.UUID, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "metrics")
    cursor.execute(
        f"""
        SELECT {METRIC_COLUMNS} FROM {LOAD_METRICS} AS metrics
        WHERE {where} AND metrics.player_id = ? AND metrics.metric_date BETWEEN ? AND ?
        ORDER BY metrics.metric_date
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return records(cursor)


def player_wellness(
    cursor: ServingCursor, scope: RowScope, player_id: uuid.UUID, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "wellness")
    cursor.execute(
        f"""
        SELECT wellness_date, instrument, total_score, sleep_hours, baseline_observations, baseline_mean_score,
               baseline_sd_score, wellness_z_score, below_baseline_flag, z_score_withheld_reason
        FROM {WELLNESS} AS wellness
        WHERE {where} AND player_id = ? AND wellness_date BETWEEN ? AND ?
        ORDER BY wellness_date, instrument
        """,
        [*params, str(player_id), date_from, date_to],
    )
    return records(cursor)


def player_test_results(cursor: ServingCursor, scope: RowScope, player_id: uuid.UUID) -> list[dict[str, Any]]:
    where, params = scope_filter(scope, "results")
    cursor.execute(
        f"""
        SELECT results.result_id, results.test_id, results.test_name, results.unit, results.direction,
               results.result_value, results.tested_on, results.is_latest_for_player, results.team_players_tested,
               results.team_percentile_rank, results.team_id, teams.team_name
        FROM {TEST_RESULTS} AS results
        LEFT JOIN {TEAMS} AS teams ON teams.team_id = results.team_id AND teams.org_id = results.org_id
        WHERE {where} AND results.player_id = ?
        ORDER BY results.test_name, results.tested_on
        """,
        [*params, str(player_id)],
    )
    return records(cursor)
