"""A pipeline pass builds only the marts downstream of the event types it loaded, and they equal a full build.

A generated season is built whole; then wellness questionnaires of its last weeks arrive alone. The pass after
them rebuilds the marts that read wellness (and nothing else), every mart then equals a ``--full-refresh`` build of
the same warehouse row by row, and a pass whose build failed leaves the loaded types pending for the next one.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import dagster as dg

from pipelines.dbt_build import PIPELINE_EXCLUDE, DbtBuildResource, invoke_dbt, parsed_manifest
from pipelines.dbt_selection import clock_models, event_types_read, read_state
from pipelines.defs.dbt_models import warehouse_dbt_models
from pipelines.resources import WarehouseResource
from tests.pipelines.season import SEASON_DAYS, SEASON_START, generate_season
from warehouse.duckdb_warehouse import DuckDBWarehouse

WELLNESS = "training.wellness.submitted"


def assert_marts_equal_a_full_refresh(warehouse: DuckDBWarehouse) -> None:
    """Every mart as the passes left it equals what ``dbt run --full-refresh`` makes of the same events."""
    after_passes = _marts(warehouse)
    refresh = invoke_dbt(["run", "--full-refresh", "--exclude", *PIPELINE_EXCLUDE.split()])
    assert refresh.success, refresh.exception or refresh.failed_nodes
    after_refresh = _marts(warehouse)
    assert after_passes.keys() == after_refresh.keys()
    for mart in after_refresh:
        assert after_passes[mart] == after_refresh[mart], mart


def load_broken_wellness(session) -> None:
    """A newer copy of one wellness answer dated on no day at all (load_id ``broken``): every build that reads it
    fails."""
    session.execute(
        "INSERT INTO raw.events (event_id, type, version, subject, occurred_at, org_id, data, loaded_at, load_id) "
        "SELECT ?, type, version, subject, occurred_at + INTERVAL 1 MINUTE, org_id, "
        "json_merge_patch(data, '{\"wellness_date\": \"not a day\"}'), now(), 'broken' FROM raw.events "
        "WHERE type = ? LIMIT 1",
        [str(uuid.uuid4()), WELLNESS],
    )


def _pass(warehouse: DuckDBWarehouse) -> dg.ExecuteInProcessResult:
    resources = {
        "dbt": DbtBuildResource(),
        "warehouse": WarehouseResource(duckdb_path=str(warehouse.path), serving_dir=str(warehouse.serving_dir)),
    }
    return dg.materialize([warehouse_dbt_models], resources=resources, raise_on_error=False)


def _mart_statuses(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    return {
        e.asset_key.path[1]: e.materialization.metadata["status"].value
        for e in result.get_asset_materialization_events()
        if e.asset_key.path[0] == "marts"
    }


def _marts(warehouse: DuckDBWarehouse) -> dict[str, list[tuple]]:
    """Every row of every mart but the incremental marts' build stamp, sorted; floats to 9 decimals."""
    with warehouse.session() as session:
        tables = {}
        for qualified in session.mart_tables():
            rows = (
                session.fetchall(f"SELECT * EXCLUDE (events_loaded_through) FROM {qualified}")
                if _stamped(session, qualified)
                else session.fetchall(f"SELECT * FROM {qualified}")
            )
            tables[qualified] = sorted(
                (tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows), key=repr
            )
        return tables


def _stamped(session, qualified: str) -> bool:
    schema, table = qualified.split(".")
    return bool(
        session.fetchall(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "AND column_name = 'events_loaded_through'",
            [schema, table],
        )
    )


def _downstream_marts(event_type: str) -> set[str]:
    """The marts downstream of the staging models reading ``event_type``, from the manifest's edges."""
    manifest = parsed_manifest()
    children: dict[str, set[str]] = {}
    for unique_id, node in manifest.nodes.items():
        for parent in node.depends_on.nodes:
            children.setdefault(parent, set()).add(unique_id)
    reached = [uid for uid, n in manifest.nodes.items() if n.resource_type == "model" and event_type in (
        event_types_read(n) or ())]  # fmt: skip
    seen = set(reached)
    while reached:
        for child in children.get(reached.pop(), ()):
            if child not in seen:
                seen.add(child)
                reached.append(child)
    return {
        manifest.nodes[uid].name
        for uid in seen
        if manifest.nodes[uid].resource_type == "model" and manifest.nodes[uid].config.schema == "marts"
    }


def test_a_pass_builds_what_its_event_types_reach_and_equals_a_full_build(warehouse):
    season = generate_season(seed=20260301)
    cutoff = SEASON_START + timedelta(days=SEASON_DAYS - 21)
    held_back = [e for e in season.events if e.type == WELLNESS and e.data.wellness_date >= cutoff]
    assert len(held_back) > 20
    with warehouse.session() as session:
        session.load_events([e for e in season.events if e not in held_back], load_id="season")

    first = _pass(warehouse)
    assert first.success
    assert set(_mart_statuses(first).values()) == {"success"}  # no record of a build yet: everything
    with warehouse.session() as session:
        built_first = read_state(session)
    assert built_first is not None

    # a load of one type whose build fails (a questionnaire dated on no day at all): nothing is recorded as built;
    # the broken copy is the answer's newest version, so every build reads it (a tie with the original would leave
    # which of the two is read, and whether the build fails, to the order the rows come in)
    with warehouse.session() as session:
        session.load_events(held_back, load_id="late-wellness")
        load_broken_wellness(session)
    failed = _pass(warehouse)
    assert not failed.success
    (failure,) = failed.get_step_failure_events()
    assert "dbt build failed" in failure.step_failure_data.error.message
    with warehouse.session() as session:
        assert read_state(session) == built_first
        session.execute("DELETE FROM raw.events WHERE load_id = 'broken'")

    # the next pass builds what the failed one did not: the marts that read wellness, and only those
    second = _pass(warehouse)
    assert second.success
    statuses = _mart_statuses(second)
    rebuilt = {mart for mart, status in statuses.items() if status == "success"}
    assert rebuilt == _downstream_marts(WELLNESS)
    assert "fct_player_wellness_daily" in rebuilt and "dim_player_availability" not in rebuilt
    assert {status for mart, status in statuses.items() if mart not in rebuilt} == {"reused"}
    assert len(statuses) == len(_mart_statuses(first))
    with warehouse.session() as session:
        assert read_state(session).events_loaded_through > built_first.events_loaded_through

    assert_marts_equal_a_full_refresh(warehouse)

    # nothing loaded since: the next pass builds nothing (and, no snapshot having been published here, reports
    # every mart current so that the serving snapshot downstream runs)
    idle = _pass(warehouse)
    assert idle.success and set(_mart_statuses(idle).values()) == {"reused"}
    assert not idle.get_asset_check_evaluations()


def test_the_models_that_read_the_clock_are_found():
    assert set(clock_models(parsed_manifest())) >= {
        "dim_player_availability",
        "fct_team_availability_weekly",
        "fct_invoices",
        "int_planned_player_sessions_matched",
        "fct_usage_active_users_daily",
    }
