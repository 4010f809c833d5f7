"""Every column the stats API reads is in the marts dbt builds.

Each query of the stats repositories runs on a snapshot published from the dbt-built warehouse (snapshots.py) with
a row in every mart; DuckDB binds every column a query names, so a column a query reads and no model provides fails
here, naming the query.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from types import ModuleType
from typing import Any

import duckdb
import pytest

from operational.stats import repository
from operational.stats.attendance import repository as attendance_repository
from operational.stats.compliance import repository as compliance_repository
from operational.stats.policies import RowScope
from operational.stats.usage import repository as usage_repository
from tests.operational.stats.snapshots import StatsClub, Warehouse
from tests.operational.stats.snapshots import club_today as today
from tests.operational.stats.statistics_marts import StatisticsWarehouse, monday_of
from warehouse.serving import SnapshotReader

MODULES: tuple[ModuleType, ...] = (repository, attendance_repository, compliance_repository, usage_repository)
WEEK_AGO = today() - timedelta(days=7)

Query = Callable[[duckdb.DuckDBPyConnection, StatsClub], Any]


def _scope(club: StatsClub) -> RowScope:
    return RowScope(org_id=club.org_id, team_ids=frozenset({club.team_id}))


QUERIES: dict[str, Query] = {
    "repository.snapshot_published_at": lambda c, club: repository.snapshot_published_at(c),
    "repository.player_ref": lambda c, club: repository.player_ref(c, club["player"].id),
    "repository.team_ref": lambda c, club: repository.team_ref(c, club.team_id),
    "repository.player_names": lambda c, club: repository.player_names(c, club.org_id, [club["player"].id]),
    "repository.team_names": lambda c, club: (
        repository.team_names(c, club.org_id, None),
        repository.team_names(c, club.org_id, [club.team_id]),
    ),
    "repository.is_player": lambda c, club: repository.is_player(c, club.org_id, club["player"].id),
    "repository.club_acwr_variant": lambda c, club: repository.club_acwr_variant(c, club.org_id),
    "repository.player_daily_load": lambda c, club: repository.player_daily_load(
        c, _scope(club), club["player"].id, WEEK_AGO, today()
    ),
    "repository.team_daily_load": lambda c, club: repository.team_daily_load(c, _scope(club), WEEK_AGO, today()),
    "repository.team_load_board": lambda c, club: repository.team_load_board(c, _scope(club)),
    "repository.player_load_metrics": lambda c, club: repository.player_load_metrics(
        c, _scope(club), club["player"].id, WEEK_AGO, today()
    ),
    "repository.player_wellness": lambda c, club: repository.player_wellness(
        c, _scope(club), club["player"].id, WEEK_AGO, today()
    ),
    "repository.player_test_results": lambda c, club: repository.player_test_results(
        c, _scope(club), club["player"].id
    ),
    "attendance.repository.team_weeks": lambda c, club: attendance_repository.team_weeks(
        c, _scope(club), monday_of(WEEK_AGO), monday_of(today())
    ),
    "compliance.repository.roster_logging": lambda c, club: compliance_repository.roster_logging(
        c, club.org_id, club.team_id, WEEK_AGO, today()
    ),
    "compliance.repository.weekly_compliance": lambda c, club: compliance_repository.weekly_compliance(
        c, club.org_id, club.team_id, 6
    ),
    "usage.repository.club_name": lambda c, club: usage_repository.club_name(c, club.org_id),
    "usage.repository.club_summaries": lambda c, club: (
        usage_repository.club_summaries(c, None),
        usage_repository.club_summaries(c, [str(club.org_id)]),
    ),
    "usage.repository.active_users": lambda c, club: usage_repository.active_users(c, club.org_id, WEEK_AGO, today()),
    "usage.repository.lifecycle": lambda c, club: usage_repository.lifecycle(c, club.org_id, 12),
    "usage.repository.adoption": lambda c, club: usage_repository.adoption(c, club.org_id),
    "usage.repository.invitation_counts": lambda c, club: usage_repository.invitation_counts(c, club.org_id),
    "usage.repository.member_sign_ins": lambda c, club: usage_repository.member_sign_ins(c, club.org_id),
}


def _queries_in_code() -> set[str]:
    """Every function of the stats repositories that runs SQL on a snapshot cursor."""
    names = set()
    for module in MODULES:
        prefix = module.__name__.removeprefix("operational.stats.")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and ".execute(" in inspect.getsource(function):
                names.add(f"{prefix}.{name}")
    return names


def _unreadable(cursor: duckdb.DuckDBPyConnection, club: StatsClub) -> dict[str, str]:
    errors = {}
    for name, query in QUERIES.items():
        try:
            query(cursor, club)
        except duckdb.Error as exc:
            errors[name] = str(exc).splitlines()[0]
    return errors


def _a_row_in_every_mart(warehouse: Warehouse, club: StatsClub) -> None:
    """Rows make the queries that stop at an empty answer run to their end (player_ref, team_ref …)."""
    player = club["player"].id
    marts = StatisticsWarehouse(warehouse)
    warehouse.add_day(club.org_id, player, club.team_id, today())
    marts.add_metrics_day(club.org_id, player, club.team_id, today())
    marts.add_wellness(club.org_id, player, club.team_id, today(), z=0.5)
    marts.add_test_result(club.org_id, player, club.team_id, today(), 4.3, 0.5)
    marts.set_availability(club.org_id, player, "available", [], today())
    marts.add_attendance_week(club.org_id, player, club.team_id, monday_of(today()), recorded=2, attended=2)


@pytest.fixture
def snapshot_cursor(warehouse: Warehouse):
    reader = SnapshotReader(warehouse.serving_dir)
    yield lambda: reader.cursor()
    reader.close()


def test_every_query_of_the_stats_api_is_checked():
    assert _queries_in_code() == set(QUERIES)


def test_every_column_the_stats_api_reads_is_in_the_dbt_marts(warehouse, stats_club, snapshot_cursor):
    _a_row_in_every_mart(warehouse, stats_club)
    assert {f"marts.{t}" for t in ("dim_players", "fct_player_daily_load")} <= set(warehouse.tables)
    warehouse.publish()
    assert _unreadable(snapshot_cursor(), stats_club) == {}


def test_a_column_missing_from_the_marts_fails_the_queries_that_read_it(warehouse, stats_club, snapshot_cursor):
    _a_row_in_every_mart(warehouse, stats_club)
    warehouse.conn.execute("ALTER TABLE marts.dim_teams DROP COLUMN team_name")
    warehouse.publish()
    errors = _unreadable(snapshot_cursor(), stats_club)
    assert {"repository.team_ref", "repository.team_names"} <= set(errors)
    assert all("team_name" in message for message in errors.values()), errors
