import dagster as dg

from pipelines.defs.ingest import raw_events
from pipelines.expectations import raw_events_frame
from pipelines.expectations_process import shared_process
from pipelines.resources import WarehouseResource


@dg.asset_check(
    asset=raw_events,
    description="Great Expectations on the rows this run loaded (or the newest rows): event_id present and "
    "unique, type a registered event type, occurred_at present.",
)
def raw_events_meet_expectations(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    with warehouse.session() as session:
        frame, scope = raw_events_frame(session, load_id=context.run.run_id)
    # in a child process, so that the pipeline holds no Great Expectations, pandas or SciPy between passes
    summary = shared_process().validate(frame)
    return dg.AssetCheckResult(
        passed=summary.success,
        metadata={
            "scope": scope,
            "rows_checked": summary.rows_checked,
            "failed_expectations": [
                f"{o.expectation}({o.column}): {o.unexpected_count} unexpected" for o in summary.failed
            ],
        },
    )
