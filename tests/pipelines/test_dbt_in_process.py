"""The pipeline's in-process dbt build reports exactly what dagster-dbt's public CLI resource reports.

pipelines/dbt_in_process.py is the one place that leans on dbt's and dagster-dbt's internals (subset selection,
event translation, dbt-duckdb's open database); an upgrade that changes any of them fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines.dbt_build import DbtBuildResource, dbt_project
from pipelines.defs.dbt_models import warehouse_dbt_models
from pipelines.resources import WarehouseResource, warehouse_connection
from warehouse.raw import ensure_raw_schema

# two marts whose pass runs no test (their keys and NOT NULL columns are enforced by their contracts) and one with an
# asset check (an accepted_values test)
SUBSET = dg.AssetSelection.assets(
    dg.AssetKey(["marts", "dim_teams"]),
    dg.AssetKey(["marts", "fct_player_daily_load"]),
    dg.AssetKey(["marts", "fct_usage_invitations"]),
)


def _outcome(result: dg.ExecuteInProcessResult) -> tuple[set[dg.AssetKey], dict[tuple[dg.AssetKey, str], bool]]:
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    checks = {(c.asset_key, c.check_name): c.passed for c in result.get_asset_check_evaluations()}
    return materialized, checks


def test_in_process_build_matches_the_public_cli_resource(pipeline_env):
    warehouse = DuckDBResource(database=str(pipeline_env.warehouse_path))
    with warehouse_connection(warehouse) as conn:
        ensure_raw_schema(conn)
    instance = dg.DagsterInstance.ephemeral()
    # the same selection for both: every asset of the job, not what newly loaded events reach
    resources = {
        "dbt": DbtBuildResource(select_by_loaded_events=False),
        "warehouse": WarehouseResource(
            duckdb_path=str(pipeline_env.warehouse_path), serving_dir=str(pipeline_env.serving_dir)
        ),
    }

    # every model and mart test of the pipeline's selection, views included on the first build
    full = dg.materialize([warehouse_dbt_models], resources=resources, instance=instance)
    materialized, checks = _outcome(full)
    assert materialized == set(warehouse_dbt_models.keys)
    assert set(checks) == set(warehouse_dbt_models.check_keys) and all(checks.values())

    # a subset runs only the selected models and their tests, as the public resource runs them
    in_process = dg.materialize([warehouse_dbt_models], selection=SUBSET, resources=resources, instance=instance)
    # dbt-duckdb's database was closed: a connection with another configuration opens the file at once
    with warehouse_connection(warehouse) as conn:
        assert conn.execute("SELECT count(*) FROM marts.dim_teams").fetchone() == (0,)
    public = dg.materialize(
        [warehouse_dbt_models],
        selection=SUBSET,
        resources={
            **resources,
            "dbt": _PublicDbt(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")),
        },
        instance=instance,
    )
    assert _outcome(in_process) == _outcome(public)
    assert _outcome(in_process)[0] == set(SUBSET.resolve(full.job_def.asset_layer.asset_graph))
    checked = {key.asset_key for key in warehouse_dbt_models.check_keys} & _outcome(in_process)[0]
    assert checked == {dg.AssetKey(["marts", "fct_usage_invitations"])}
    assert {key for key, _ in _outcome(in_process)[1]} == checked


class _PublicDbt(DbtCliResource):
    """dagster-dbt's CLI resource behind the pipeline's resource interface (``build(context)``)."""

    def build(self, context: dg.AssetExecutionContext, warehouse: WarehouseResource | None = None):
        yield from self.cli(["build"], context=context).stream()
