"""The code location loads from pipelines/defs with everything wired together."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs

MART = dg.AssetKey(["marts", "fct_player_daily_load"])
STAGING_RPE = dg.AssetKey(["staging", "stg_training__session_rpe_logged"])


def test_definitions_load_every_asset_check_job_and_sensor():
    repository = defs().get_repository_def()
    graph = repository.asset_graph

    assert {dg.AssetKey("raw_events"), STAGING_RPE, MART, dg.AssetKey("serving_snapshot")} <= graph.get_all_asset_keys()
    check_keys = graph.asset_check_keys
    assert dg.AssetCheckKey(dg.AssetKey("raw_events"), "raw_events_meet_expectations") in check_keys
    invitations = dg.AssetKey(["marts", "fct_usage_invitations"])
    status_check = "accepted_values_fct_usage_invitations_invitation_status__accepted__expired__pending"
    assert dg.AssetCheckKey(invitations, status_check) in check_keys
    # the key's NOT NULL and uniqueness are the table's own constraints (its enforced contract: NOT NULL, PRIMARY
    # KEY), not checks a pass runs
    assert dg.AssetCheckKey(MART, "not_null_fct_player_daily_load_player_day_id") not in check_keys
    assert dg.AssetCheckKey(MART, "unique_fct_player_daily_load_player_day_id") not in check_keys

    # dbt's source raw.events is the ingest asset, so dbt always runs after the load; the snapshot after the marts
    assert dg.AssetKey("raw_events") in graph.get(STAGING_RPE).parent_keys
    assert MART in graph.get(dg.AssetKey("serving_snapshot")).parent_keys

    job = repository.get_job("warehouse_job")
    assert set(job.asset_layer.selected_asset_keys) == graph.get_all_asset_keys() - {
        k for k in graph.get_all_asset_keys() if graph.get(k).is_external
    }
    assert check_keys <= set(job.asset_layer.asset_graph.asset_check_keys)
    sensor = repository.get_sensor_def("warehouse_pending_events_sensor")
    assert sensor.job_name == "warehouse_job"
