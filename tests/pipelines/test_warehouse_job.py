"""The warehouse job end to end on real NATS and DuckDB: events in, checked, modelled, served."""

from __future__ import annotations

import uuid
from contextlib import closing
from datetime import UTC, date, datetime

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from contracts.registry import REGISTRY
from pipelines.dbt_build import invoke_dbt
from pipelines.definitions import defs
from pipelines.defs.checks import raw_events_meet_expectations
from pipelines.defs.ingest import raw_events
from pipelines.resources import NatsResource, WarehouseResource, warehouse_connection
from tests.pipelines.dbt_project import project_unit_test_count
from tests.pipelines.streams import dead_letters, publish
from tests.warehouse.events import session_rpe_logged, team_created, user_created
from warehouse.raw import load_events
from warehouse.serving import SnapshotReader, current_snapshot

SESSION_DAY = date(2026, 1, 5)
MART_SQL = (
    "SELECT player_day_id, org_id, player_id, team_id, session_date, session_count, total_duration_minutes, "
    "session_rpe_load_au FROM marts.fct_player_daily_load ORDER BY player_day_id"
)


def _at(hour: int) -> datetime:
    return datetime(SESSION_DAY.year, SESSION_DAY.month, SESSION_DAY.day, hour, tzinfo=UTC)


def _check_results(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def _ingest_metadata(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    (materialization,) = result.asset_materializations_for_node("raw_events")
    return {k: v.value for k, v in materialization.metadata.items()}


def test_events_flow_from_nats_through_dbt_into_the_serving_snapshot(pipeline_env):
    org_id, player, teammate = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    morning_team, evening_team = uuid.uuid4(), uuid.uuid4()

    def logged(player_id, team_id, rpe, minutes, hour):
        return session_rpe_logged(
            org_id=org_id, player_id=player_id, team_id=team_id, session_date=SESSION_DAY, rpe=rpe,
            duration_minutes=minutes, logged_at=_at(hour),
        )  # fmt: skip

    morning, evening = logged(player, morning_team, 7, 60, 10), logged(player, evening_team, 5, 30, 18)
    other_player = logged(teammate, morning_team, 4, 45, 11)
    # the people and teams the logs name are known to the warehouse (the marts' relationships tests hold)
    known = [
        team_created(org_id=org_id, team_id=morning_team),
        team_created(org_id=org_id, team_id=evening_team, name="U18"),
        user_created(org_id=org_id, user_id=player),
        user_created(org_id=org_id, user_id=teammate, name="Alva Persson"),
    ]
    valid = [*known, morning, evening, other_player]
    malformed = ("hub.training.session_rpe.logged", b'{"type": "training.session_rpe.logged", "rpe": 11}', "bad-1")
    # a replay after the stream's duplicate window arrives under a new message id
    replayed = (morning.subject, morning.model_dump_json().encode(), f"{morning.event_id}-replay")
    publish(pipeline_env.nats_url, valid[:5], raw=[malformed])
    publish(pipeline_env.nats_url, valid[5:], raw=[replayed])

    definitions = defs()
    sensor = definitions.get_repository_def().get_sensor_def("warehouse_pending_events_sensor")
    instance = dg.DagsterInstance.ephemeral()
    sensor_resources = {"nats": NatsResource(url=pipeline_env.nats_url)}
    with dg.build_sensor_context(instance=instance, resources=sensor_resources) as context:
        assert sensor.evaluate_tick(context).run_requests, "nine messages are pending: the sensor asks for a run"

    job = definitions.resolve_job_def("warehouse_job")
    first = job.execute_in_process(instance=instance)
    assert first.success

    # ingest: every valid event once, the malformed message dead-lettered with its reason, the rest not blocked
    ingest = _ingest_metadata(first)
    assert (ingest["rows_inserted"], ingest["duplicates_skipped"], ingest["dead_lettered"]) == (7, 1, 1)
    with closing(duckdb.connect(str(pipeline_env.warehouse_path), read_only=True)) as conn:
        raw_ids = [r[0] for r in conn.execute("SELECT event_id FROM raw.events").fetchall()]
        mart_after_first = conn.execute(MART_SQL).fetchall()
    assert sorted(raw_ids) == sorted(str(e.event_id) for e in valid)
    ((subject, body, headers),) = dead_letters(pipeline_env.nats_url)
    assert subject == "deadletter.hub.training.session_rpe.logged"
    assert body == malformed[1]
    assert headers["Hub-Dead-Letter-Reason"].startswith("invalid event")
    assert "rpe" in headers["Hub-Dead-Letter-Reason"]

    # the mart: 7 × 60 + 5 × 30 = 570 AU for the player's two sessions, credited to the later session's team
    assert mart_after_first == sorted(
        [
            (f"{player}|{SESSION_DAY}", str(org_id), str(player), str(evening_team), SESSION_DAY, 2, 90, 570),
            (f"{teammate}|{SESSION_DAY}", str(org_id), str(teammate), str(morning_team), SESSION_DAY, 1, 45, 180),
        ]
    )

    # the metric's unit tests (not part of a pipeline pass) hold on this warehouse too
    unit_tests = invoke_dbt(["test", "--select", "test_type:unit"])
    assert unit_tests.success
    assert len(unit_tests.result.results) == project_unit_test_count() >= 22
    # so do the facts' relationships to the dimensions (not part of a pass either): every person and team is known
    relationships = invoke_dbt(["test", "--select", "tag:referential_integrity"])
    assert relationships.success
    assert {str(r.status) for r in relationships.result.results} == {"pass"}
    assert len(relationships.result.results) == 13

    checks = _check_results(first)
    assert checks["raw_events_meet_expectations"].passed
    assert checks["raw_events_meet_expectations"].metadata["rows_checked"].value == 7
    dbt_checks = {name: c for name, c in checks.items() if name != "raw_events_meet_expectations"}
    # the marts' tests a pass runs (their keys and NOT NULL columns are enforced by their contracts instead)
    assert "accepted_values_fct_usage_invitations_invitation_status__accepted__expired__pending" in dbt_checks
    assert all(c.passed for c in dbt_checks.values()), [n for n, c in dbt_checks.items() if not c.passed]

    # the serving snapshot holds the mart as built
    reader = SnapshotReader(pipeline_env.serving_dir)
    try:
        assert reader.cursor().execute(MART_SQL).fetchall() == mart_after_first
    finally:
        reader.close()
    first_snapshot = current_snapshot(pipeline_env.serving_dir)

    # nothing pending any more: the sensor skips, and a run anyway builds nothing and publishes nothing
    with dg.build_sensor_context(instance=instance, resources=sensor_resources) as context:
        assert not sensor.evaluate_tick(context).run_requests
    second = job.execute_in_process(instance=instance)
    assert second.success
    assert _ingest_metadata(second)["rows_inserted"] == 0
    layers = [{e.asset_key.path[0] for e in run.get_asset_materialization_events()} for run in (first, second)]
    assert {"staging", "intermediate", "marts", "serving_snapshot"} <= layers[0]
    assert layers[1] == {"raw_events"}
    with closing(duckdb.connect(str(pipeline_env.warehouse_path), read_only=True)) as conn:
        assert conn.execute("SELECT count(*) FROM raw.events").fetchone() == (7,)
        assert conn.execute(MART_SQL).fetchall() == mart_after_first
    assert current_snapshot(pipeline_env.serving_dir) == first_snapshot


def test_a_raw_row_of_an_unknown_type_fails_the_expectations_check(tmp_path):
    warehouse = DuckDBResource(database=str(tmp_path / "hub.duckdb"))
    org_id = uuid.uuid4()
    with warehouse_connection(warehouse) as conn:
        load_events(conn, [team_created(org_id=org_id)], load_id="earlier")
        # a row no loader would write: the check exists to notice if one ever gets there
        conn.execute(
            "INSERT INTO raw.events (event_id, type, version, subject, occurred_at, org_id, actor_id, subject_id, "
            "correlation_id, data, stream_sequence, loaded_at, load_id) "
            "VALUES (?, 'training.session.deleted', 1, 'hub.training.session.deleted', now(), "
            "?, NULL, NULL, NULL, '{}', NULL, now(), 'manual')",
            [str(uuid.uuid4()), str(org_id)],
        )
    assert "training.session.deleted" not in REGISTRY

    result = dg.materialize(
        [raw_events, raw_events_meet_expectations],
        selection=dg.AssetSelection.checks(raw_events_meet_expectations),
        resources={
            "warehouse": WarehouseResource(duckdb_path=warehouse.database, serving_dir=str(tmp_path / "serving")),
            "nats": NatsResource(url="nats://127.0.0.1:1"),
        },
        raise_on_error=False,
    )
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed
    assert evaluation.metadata["rows_checked"].value == 2
    assert evaluation.metadata["failed_expectations"].value == ["expect_column_values_to_be_in_set(type): 1 unexpected"]
