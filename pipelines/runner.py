"""The pipeline loop of the embedded runtime: no Dagster daemon, one process, runs only when events are waiting.

Every ``poll_seconds`` it asks NATS how many messages the ``warehouse`` consumer has pending (one request, no
fetch). When there are some it executes ``warehouse_job`` in process (ingest → checks → dbt build → serving snapshot)
and logs one JSON line with the run's step durations and how old the oldest new event was when its snapshot was
published. Those passes build the fast lane (the marts the stats API serves, pipelines/lanes.py); when marts were
deferred and no events arrived for ``deferred_after_quiet_seconds``, a full-lane pass builds them (and the dbt step
builds the full lane anyway once they have waited ``max_deferral_seconds``).

DAGSTER_HOME (var/dagster) gets a dagster.yaml with telemetry off. Runs are kept in memory unless
HUB_PIPELINE_RECORD_RUNS is set: Dagster's SQLite storage writes every event through a new connection, which
more than doubles a pass (about 3 s in memory against 7 s recorded on a busy two-core machine).

Entry point: ``hub pipeline run``, or :func:`run_forever` from a thread. ``python -m pipelines.runner`` works too,
but then the Great Expectations check's child process imports this module, and Dagster and dbt with it, when it
starts (multiprocessing's spawn imports the parent's main module in the child).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from messaging import tracing
from messaging.logs import configure_logging
from pipelines.config import PipelineSettings
from pipelines.dbt_build import DbtBuildResource
from pipelines.dbt_selection import full_lane_lagging
from pipelines.expectations_process import shared_process
from pipelines.ingest import Backlog, WarehouseConsumer
from pipelines.lanes import FAST, FULL, LANE_RUN_TAG
from pipelines.resources import NatsResource, WarehouseResource, close_nats_connections
from pipelines.trigger import TriggerState, should_run

log = logging.getLogger("pipelines.runner")

JOB_NAME = "warehouse_job"
FAILED_PASS_BACKOFF_SECONDS = 5.0
# How long a stop waits for the pass in hand; with the interpreter's exit it keeps the whole stop under 5 s.
STOP_GRACE_SECONDS = 2.5
PRUNE_EVERY_PASSES = 50
# One event-log database for all runs: the default opens and migrates a new SQLite file for every run, which costs
# about a second per pass.
DAGSTER_YAML = """\
telemetry:
  enabled: false
event_log_storage:
  module: dagster._core.storage.event_log
  class: ConsolidatedSqliteEventLogStorage
  config:
    base_dir:
      env: DAGSTER_HOME
"""
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def run_resources(settings: PipelineSettings) -> dict[str, Any]:
    """The job's resources, built from the runner's settings (the code location's EnvVar resources are for
    ``dagster dev``)."""
    return {
        "nats": NatsResource(url=settings.nats_url),
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": DbtBuildResource(max_deferral_seconds=settings.max_deferral_seconds),
    }


def export_dbt_environment(settings: PipelineSettings) -> None:
    """What dbt and Dagster's instance read from the environment themselves: dbt/profiles.yml's target and warehouse
    (the adapter's dbt environment), dagster.yaml's DAGSTER_HOME, and the libraries' telemetry switches."""
    os.environ.update(
        {
            **WarehouseResource.from_settings(settings).warehouse.dbt_environment(),
            "DAGSTER_HOME": str(settings.dagster_home),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "GX_ANALYTICS_ENABLED": "false",
        }
    )


def open_instance(settings: PipelineSettings) -> dg.DagsterInstance:
    """The instance under DAGSTER_HOME when runs are recorded, otherwise one in memory (same telemetry setting)."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    if settings.record_runs:
        return dg.DagsterInstance.from_config(str(home))
    return dg.DagsterInstance.ephemeral(settings={"telemetry": {"enabled": False}})


def load_job() -> dg.JobDefinition:
    from pipelines.definitions import defs

    return defs().resolve_job_def(JOB_NAME)


def warm_up() -> None:
    """Pay the imports and the dbt parse at start-up instead of in the first pass; Great Expectations warms up in
    its own process meanwhile (pipelines/expectations_process.py), which ends after a quiet spell."""
    from pipelines.dbt_build import parsed_manifest

    shared_process().start()
    parsed_manifest()


def run_pass(
    job: dg.JobDefinition,
    instance: dg.DagsterInstance,
    resources: dict[str, Any] | None = None,
    lane: str = FULL,
) -> dict[str, Any]:
    started = time.monotonic()
    result = job.execute_in_process(
        instance=instance, raise_on_error=False, run_config=RUN_CONFIG, resources=resources, tags={LANE_RUN_TAG: lane}
    )
    summary: dict[str, Any] = {
        "run_id": result.run_id,
        "success": result.success,
        "lane": lane,
        "seconds_total": round(time.monotonic() - started, 3),
        "step_seconds": _step_seconds(instance, result.run_id),
        "deferred_marts": _deferred_marts(result),
    }
    ingest = _materialization_metadata(result, "raw_events")
    for name in ("rows_inserted", "duplicates_skipped", "dead_lettered"):
        if name in ingest:
            summary[name] = ingest[name].value
    oldest = ingest.get("oldest_new_event_at")
    if result.success and oldest is not None and oldest.value is not None:
        # From the oldest event this pass loaded being recorded to its snapshot being current.
        summary["event_to_snapshot_seconds"] = round(datetime.now(UTC).timestamp() - float(oldest.value), 3)
    return summary


def _deferred_marts(result: dg.ExecuteInProcessResult) -> int:
    """How many marts the pass left for the full lane (0 for a full-lane pass, which may still be asked for as fast)."""
    return sum(
        1
        for event in result.get_asset_materialization_events()
        if getattr(event.materialization.metadata.get("status"), "value", None) == "deferred"
    )


def _full_lane_lagging(resources: dict[str, Any]) -> bool:
    try:
        with resources["warehouse"].session() as session:
            return full_lane_lagging(session)
    except Exception as exc:  # the next event-triggered pass (or the deferral bound) still builds them
        log.warning("could not read whether marts are deferred", extra={"error": repr(exc)})
        return False


def _materialization_metadata(result: dg.ExecuteInProcessResult, node: str) -> dict[str, Any]:
    try:
        materializations = result.asset_materializations_for_node(node)
    except Exception:  # the step never ran
        return {}
    return dict(materializations[0].metadata) if materializations else {}


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    started: dict[str, float] = {}
    durations: dict[str, float] = {}
    for entry in instance.all_logs(
        run_id,
        of_type={dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE},
    ):
        if entry.step_key is None:
            continue
        if entry.dagster_event_type == dg.DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif entry.step_key in started:
            durations[entry.step_key] = round(entry.timestamp - started[entry.step_key], 3)
    return durations


def prune_runs(instance: dg.DagsterInstance, keep: int) -> int:
    old = instance.get_run_ids(dg.RunsFilter(job_name=JOB_NAME), limit=keep + 1000)[keep:]
    for run_id in old:
        instance.delete_run(run_id)
    return len(old)


def _pass_and_log(
    job: dg.JobDefinition, instance: dg.DagsterInstance, resources: dict[str, Any], lane: str = FULL, **context: Any
) -> bool:
    try:
        summary = run_pass(job, instance, resources, lane)
    except Exception:  # a failing step is reported in the summary; this is Dagster itself failing
        log.exception("pipeline pass could not run", extra=context)
        return False
    log.info("pipeline pass", extra={**context, **summary})
    return bool(summary["success"])


def run_forever(stop: threading.Event | None = None, settings: PipelineSettings | None = None) -> None:
    """Poll the ``warehouse`` consumer's backlog and run the pipeline whenever it is not empty, until ``stop``."""
    stop = stop or threading.Event()
    settings = settings or PipelineSettings()
    export_dbt_environment(settings)
    instance = open_instance(settings)
    job = load_job()
    shared_process().idle_seconds = settings.expectations_idle_seconds
    warm_up()
    resources = run_resources(settings)
    # The runs' ingest and this loop share the process's one NATS connection, opened here and closed at exit.
    nats: NatsResource = resources["nats"]
    try:
        nats.run(lambda js: WarehouseConsumer(js).backlog(), timeout=60)
        # One pass at start-up, events or not: it finishes whatever a previous process left half done (the types a
        # failed or cut-short build left pending, a build without its snapshot) and builds the marts that read the
        # date when it changed since the last build.
        _pass_and_log(job, instance, resources, trigger="start-up")
        log.info("pipeline runner started", extra={"warehouse": resources["warehouse"].warehouse.describe()})
        last_pass, passes = time.monotonic(), 1
        deferred = _full_lane_lagging(resources)
        events_lane = FAST if settings.fast_lane else FULL
        while not stop.is_set():
            try:
                backlog: Backlog = nats.run(lambda js: WarehouseConsumer(js).backlog(), timeout=30)
            except Exception as exc:
                log.warning("could not read the warehouse consumer's backlog", extra={"error": repr(exc)})
                stop.wait(1.0)
                continue
            reason = should_run(TriggerState(backlog=backlog, seconds_since_last_run=time.monotonic() - last_pass))
            if reason is not None:
                succeeded = _pass_and_log(
                    job, instance, resources, events_lane, trigger="events", reason=reason, pending_before=backlog.total
                )
            elif deferred and time.monotonic() - last_pass >= settings.deferred_after_quiet_seconds:
                # a quiet spell: the marts the fast passes deferred
                succeeded = _pass_and_log(job, instance, resources, FULL, trigger="deferred marts")
            else:
                stop.wait(settings.poll_seconds)
                continue
            deferred = _full_lane_lagging(resources)
            last_pass, passes = time.monotonic(), passes + 1
            if passes % PRUNE_EVERY_PASSES == 0:
                prune_runs(instance, settings.keep_runs)
            if not succeeded:
                stop.wait(FAILED_PASS_BACKOFF_SECONDS)
    finally:
        shared_process().close()
        close_nats_connections()
        instance.dispose()
        log.info("pipeline runner stopped")


def run_until_signalled(settings: PipelineSettings, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
    """:func:`run_forever` until SIGTERM or SIGINT, then at most ``grace_seconds`` more.

    The loop runs in a thread of its own: Dagster swallows SIGTERM and SIGINT in the main thread while it executes a
    run (``capture_interrupts``), so a stop sent mid-pass would be lost there. A pass (a dbt build above all) can
    take longer than a stop may; ending it mid-way loses nothing: ingest acks events only after the warehouse
    committed them, so the unacked ones are delivered again (and loaded once), a DuckDB transaction cut short is
    rolled back on the next open, and the next start-up pass finishes the build."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    failure: list[BaseException] = []

    def loop_body() -> None:
        try:
            run_forever(stop, settings)
        except BaseException as exc:
            failure.append(exc)

    loop = threading.Thread(target=loop_body, name="pipeline loop", daemon=True)
    loop.start()
    while loop.is_alive() and not stop.is_set():
        loop.join(0.2)  # the main thread stays free to run the signal handlers
    loop.join(grace_seconds)
    if failure:
        raise failure[0]
    if loop.is_alive():
        log.warning("pipeline pass cut short by the stop; its events will be delivered again")
        logging.shutdown()
        os._exit(0)


def main() -> None:
    settings = PipelineSettings()
    configure_logging(settings.log_level, settings.log_json)
    tracing.configure_tracing(settings, "hockey-hub-pipeline")
    for chatty in ("dagster", "great_expectations", "alembic", "dbt"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    # A pass leaves the tests of the marts it did not rebuild unrun (pipelines/dbt_selection.py), and Dagster warns
    # once per such test and pass that the serving snapshot is not gated on it.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    run_until_signalled(settings)


if __name__ == "__main__":
    main()
