"""The embedded runtime's pipeline loop: an event published is in the serving snapshot seconds later, built by a
fast-lane pass, and the marts that pass deferred are built by a full-lane pass once the pipeline is quiet."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import date

from pipelines.config import PipelineSettings
from pipelines.dbt_selection import full_lane_lagging, read_state
from pipelines.lanes import FAST, FULL
from pipelines.runner import open_instance, run_forever
from tests.pipelines.streams import publish
from tests.warehouse.events import session_rpe_logged
from warehouse.duckdb_warehouse import DuckDBWarehouse
from warehouse.serving import SnapshotReader

MART_ROW_SQL = "SELECT session_rpe_load_au FROM marts.fct_player_daily_load WHERE player_id = ?"


def _wait_for_load(reader: SnapshotReader, player_id: uuid.UUID, *, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor = reader.cursor()
        row = cursor.execute(MART_ROW_SQL, [str(player_id)]).fetchone() if cursor is not None else None
        if row is not None:
            return row[0]
        time.sleep(0.05)
    return None


def test_runner_serves_a_published_event_within_seconds(pipeline_env, caplog):
    settings = PipelineSettings(
        nats_url=pipeline_env.nats_url,
        warehouse_path=pipeline_env.warehouse_path,
        serving_dir=pipeline_env.serving_dir,
        dagster_home_dir=pipeline_env.dagster_home,
        poll_seconds=0.2,
        deferred_after_quiet_seconds=0.0,
    )
    stop = threading.Event()
    runner = threading.Thread(target=run_forever, args=(stop, settings), daemon=True)
    caplog.set_level(logging.INFO, logger="pipelines.runner")
    runner.start()
    reader = SnapshotReader(pipeline_env.serving_dir)
    try:
        # start-up (imports, dbt parse) is not what freshness is about: wait for the runner to be polling
        deadline = time.monotonic() + 120
        while not any(r.message == "pipeline runner started" for r in caplog.records):
            assert runner.is_alive() and time.monotonic() < deadline, "the runner did not start"
            time.sleep(0.05)

        player = uuid.uuid4()
        event = session_rpe_logged(
            org_id=uuid.uuid4(), player_id=player, session_date=date(2026, 1, 7), rpe=6, duration_minutes=50
        )
        published = time.monotonic()
        publish(pipeline_env.nats_url, [event])
        assert _wait_for_load(reader, player, timeout=60) == 300
        freshness = time.monotonic() - published
        deadline = time.monotonic() + 120
        while not any(getattr(r, "trigger", None) == "deferred marts" for r in caplog.records):
            assert runner.is_alive() and time.monotonic() < deadline, "the deferred marts were never built"
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join(timeout=60)
        reader.close()
    assert not runner.is_alive(), "the runner stops when asked"

    (pass_record,) = [r for r in caplog.records if r.message == "pipeline pass" and r.trigger == "events"]
    assert pass_record.success and pass_record.rows_inserted == 1
    assert pass_record.lane == FAST and pass_record.deferred_marts > 0
    (deferred_pass,) = [r for r in caplog.records if getattr(r, "trigger", None) == "deferred marts"]
    assert deferred_pass.success and deferred_pass.lane == FULL and deferred_pass.deferred_marts == 0
    with DuckDBWarehouse(pipeline_env.warehouse_path, pipeline_env.serving_dir).session() as session:
        assert not full_lane_lagging(session)
        assert read_state(session, FULL).events_loaded_through == read_state(session, FAST).events_loaded_through
    assert set(pass_record.step_seconds) >= {"raw_events", "warehouse_dbt_models", "serving_snapshot"}
    print(f"event published → snapshot current: {freshness:.2f}s; pass: {pass_record.step_seconds}")
    assert freshness < 30


def test_dagster_home_gets_a_config_with_telemetry_off(tmp_path, monkeypatch):
    home = tmp_path / "dagster"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = open_instance(PipelineSettings(dagster_home_dir=home, record_runs=True))
    try:
        assert "telemetry:\n  enabled: false" in (home / "dagster.yaml").read_text()
        assert not instance.telemetry_enabled
        assert instance.root_directory == str(home)
    finally:
        instance.dispose()
