import dagster as dg

from pipelines.ingest import Backlog, WarehouseConsumer
from pipelines.resources import NatsResource

# DuckDB takes one writer at a time: the steps of a run take turns in one process rather than in parallel ones.
warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
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
    """Requests a run while the `warehouse` consumer has messages pending and no run is already under way."""
    in_flight = context.instance.get_runs_count(dg.RunsFilter(job_name=warehouse_job.name, statuses=_IN_FLIGHT))
    if in_flight:
        return dg.SkipReason(f"{in_flight} warehouse run(s) already in flight")
    backlog: Backlog = nats.run(lambda js: WarehouseConsumer(js).backlog(), timeout=30)
    if not backlog.total:
        return dg.SkipReason("no events pending for the warehouse consumer")
    return dg.RunRequest(tags={"hub/pending_events": str(backlog.total)})
