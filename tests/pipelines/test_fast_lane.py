"""Fast-lane passes build the marts the stats API serves and publish them; the deferred marts follow, none missed.

A generated season is built whole; then the session RPEs and wellness questionnaires of its last weeks arrive while
fast-lane passes run. Those passes build only the fast lane's marts the new types reach and publish them; the other
marts they reach are reported ``deferred`` and their record stays where it was. A full-lane pass that fails leaves
both records as they were; the next one builds every deferred mart, and then every mart equals a ``--full-refresh``
build of the same warehouse. The deferral bound turns a fast pass into a full one once deferred marts waited it out.
"""

from __future__ import annotations

from datetime import timedelta

import dagster as dg
import duckdb

from pipelines.dbt_build import DbtBuildResource, parsed_manifest
from pipelines.dbt_selection import full_lane_lagging, read_state
from pipelines.defs.dbt_models import warehouse_dbt_models
from pipelines.defs.serving import serving_snapshot
from pipelines.lanes import FAST, FULL, LANE_RUN_TAG, fast_lane_models
from pipelines.resources import WarehouseResource
from tests.pipelines.season import SEASON_DAYS, SEASON_START, generate_season
from tests.pipelines.test_dbt_selection import (
    _downstream_marts,
    _mart_statuses,
    assert_marts_equal_a_full_refresh,
    load_broken_wellness,
)
from warehouse.duckdb_warehouse import DuckDBWarehouse
from warehouse.serving import current_snapshot

RPE = "training.session_rpe.logged"
WELLNESS = "training.wellness.submitted"
AN_HOUR = 3600.0


def _pass(warehouse: DuckDBWarehouse, lane: str, max_deferral_seconds: float = AN_HOUR) -> dg.ExecuteInProcessResult:
    resources = {
        "dbt": DbtBuildResource(max_deferral_seconds=max_deferral_seconds),
        "warehouse": WarehouseResource(duckdb_path=str(warehouse.path), serving_dir=str(warehouse.serving_dir)),
    }
    return dg.materialize(
        [warehouse_dbt_models, serving_snapshot], resources=resources, raise_on_error=False, tags={LANE_RUN_TAG: lane}
    )


def _with_status(result: dg.ExecuteInProcessResult, status: str) -> set[str]:
    return {mart for mart, s in _mart_statuses(result).items() if s == status}


def _served_rows(warehouse: DuckDBWarehouse, table: str) -> int:
    with duckdb.connect(str(current_snapshot(warehouse.serving_dir)), read_only=True) as conn:
        return conn.execute(f"SELECT count(*) FROM marts.{table}").fetchone()[0]


def _state(warehouse: DuckDBWarehouse):
    with warehouse.session() as session:
        return read_state(session, FULL), read_state(session, FAST), full_lane_lagging(session)


def test_fast_passes_serve_first_and_the_deferred_marts_follow_none_missed(warehouse):
    season = generate_season(seed=20261201)
    cutoff = SEASON_START + timedelta(days=SEASON_DAYS - 21)
    late_rpe = [e for e in season.events if e.type == RPE and e.data.session_date >= cutoff]
    late_wellness = [e for e in season.events if e.type == WELLNESS and e.data.wellness_date >= cutoff]
    assert len(late_rpe) > 20 and len(late_wellness) > 20
    with warehouse.session() as session:
        session.load_events([e for e in season.events if e not in late_rpe + late_wellness], load_id="season")
    fast_lane = fast_lane_models(parsed_manifest())

    first = _pass(warehouse, FAST)  # no record yet: a fast lane is asked for, everything is built
    assert first.success and _with_status(first, "success") == set(_mart_statuses(first))
    full_before, _, lagging = _state(warehouse)
    assert not lagging
    daily_load_rows = _served_rows(warehouse, "fct_player_daily_load")

    # session RPEs arrive: the fast lane's marts they reach are built and published, the others deferred
    with warehouse.session() as session:
        session.load_events(late_rpe, load_id="late-rpe")
    rpe_fast = _pass(warehouse, FAST)
    assert rpe_fast.success
    assert (
        _with_status(rpe_fast, "success")
        == _downstream_marts(RPE) & fast_lane
        == {
            "fct_player_daily_load",
            "fct_player_load_metrics",
        }
    )
    assert _with_status(rpe_fast, "deferred") == _downstream_marts(RPE) - fast_lane
    assert _served_rows(warehouse, "fct_player_daily_load") > daily_load_rows
    (served,) = rpe_fast.asset_materializations_for_node("serving_snapshot")
    assert served.metadata["changed_tables"].value == ["marts.fct_player_daily_load", "marts.fct_player_load_metrics"]
    full_state, fast_state, lagging = _state(warehouse)
    assert lagging and full_state.events_loaded_through == full_before.events_loaded_through
    assert fast_state.events_loaded_through > full_before.events_loaded_through

    # wellness arrives during the next fast pass; the marts of both types wait for the full lane
    with warehouse.session() as session:
        session.load_events(late_wellness, load_id="late-wellness")
    wellness_fast = _pass(warehouse, FAST)
    assert wellness_fast.success
    assert _with_status(wellness_fast, "success") == _downstream_marts(WELLNESS) & fast_lane
    assert _with_status(wellness_fast, "deferred") == (_downstream_marts(RPE) | _downstream_marts(WELLNESS)) - fast_lane

    # a full-lane pass that fails (a questionnaire dated on no day) records nothing: the deferred marts stay owed
    with warehouse.session() as session:
        load_broken_wellness(session)
    before_failure = _state(warehouse)
    assert not _pass(warehouse, FULL).success
    assert _state(warehouse) == before_failure
    with warehouse.session() as session:
        session.execute("DELETE FROM raw.events WHERE load_id = 'broken'")

    # the full lane builds every deferred mart (the fast lane's are current: left as they were)
    full = _pass(warehouse, FULL)
    assert full.success
    deferred = (_downstream_marts(RPE) | _downstream_marts(WELLNESS)) - fast_lane
    assert _with_status(full, "success") == deferred
    assert not _with_status(full, "deferred")
    full_state, fast_state, lagging = _state(warehouse)
    assert not lagging and full_state.events_loaded_through == fast_state.events_loaded_through
    (served,) = full.asset_materializations_for_node("serving_snapshot")
    assert served.metadata["changed_tables"].value == served.metadata["tables"].value  # a full lane copies all

    assert_marts_equal_a_full_refresh(warehouse)


def test_a_fast_pass_builds_the_full_lane_once_deferred_marts_waited_the_bound(warehouse):
    season = generate_season(seed=20261202)
    cutoff = SEASON_START + timedelta(days=SEASON_DAYS - 14)
    late = [e for e in season.events if e.type == RPE and e.data.session_date >= cutoff]
    first_half, second_half = late[: len(late) // 2], late[len(late) // 2 :]
    with warehouse.session() as session:
        session.load_events([e for e in season.events if e not in late], load_id="season")
    assert _pass(warehouse, FULL).success
    deferred = _downstream_marts(RPE) - fast_lane_models(parsed_manifest())

    with warehouse.session() as session:
        session.load_events(first_half, load_id="first-half")
    assert _with_status(_pass(warehouse, FAST), "deferred") == deferred
    lagging_since = _state(warehouse)[0].lagging_since
    assert lagging_since is not None

    # within the bound (an hour): still the fast lane, and the deferral keeps its start
    with warehouse.session() as session:
        session.load_events(second_half[:5], load_id="within-bound")
    within = _pass(warehouse, FAST)
    assert within.success and _with_status(within, "deferred") == deferred
    assert _state(warehouse)[0].lagging_since == lagging_since

    # a bound already passed: the pass asked for the fast lane builds every mart the events reached
    with warehouse.session() as session:
        session.load_events(second_half[5:], load_id="past-bound")
    past = _pass(warehouse, FAST, max_deferral_seconds=0.0)
    assert past.success
    assert not _with_status(past, "deferred")
    assert deferred <= _with_status(past, "success")
    full_state, fast_state, lagging = _state(warehouse)
    assert not lagging and full_state.events_loaded_through == fast_state.events_loaded_through
