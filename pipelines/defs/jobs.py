import time

import dagster as dg

from pipelines.ingest import Backlog, WarehouseConsumer
from pipelines.resources import NatsResource
from pipelines.trigger import TriggerState, should_run, skip_reason

# DuckDB takes one writer at a time: the steps of a run take turns (one at a time, each in a process of its own when
# the Dagster daemon launches the run; the embedded runner executes the job in its own process).
warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.multiprocess_executor.configured({"max_concurrent": 1}),
    description="Ingest pending events, check them, build the dbt models and publish a serving snapshot.",
)

_IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@dg.sensor(job=warehouse_job, minimum_interval_seconds=5, default_status=dg.DefaultSensorStatus.RUNNING)
def warehouse_pending_events_sensor(context: dg.SensorEvaluationContext, nats: NatsResource):
    """Requests a run when pipelines.trigger.should_run says one is due (the embedded runner asks the same)."""
    in_flight = context.instance.get_runs_count(dg.RunsFilter(job_name=warehouse_job.name, statuses=_IN_FLIGHT))
    last = context.instance.get_run_records(dg.RunsFilter(job_name=warehouse_job.name), limit=1)
    backlog: Backlog = nats.run(lambda js: WarehouseConsumer(js).backlog(), timeout=30)
    state = TriggerState(
        backlog=backlog,
        seconds_since_last_run=time.time() - last[0].create_timestamp.timestamp() if last else float("inf"),
        runs_in_flight=in_flight,
    )
    reason = should_run(state)
    if reason is None:
        return dg.SkipReason(skip_reason(state))
    return dg.RunRequest(tags={"hub/pending_events": str(backlog.total), "hub/trigger": reason})
