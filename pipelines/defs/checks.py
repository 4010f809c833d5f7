import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.ingest import raw_events
from pipelines.expectations import raw_events_frame, validate_raw_events
from pipelines.resources import warehouse_connection


@dg.asset_check(
    asset=raw_events,
    description="Great Expectations on the rows this run loaded (or the newest rows): event_id present and "
    "unique, type a registered event type, occurred_at present.",
)
def raw_events_meet_expectations(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse_connection(duckdb) as conn:
        frame, scope = raw_events_frame(conn, load_id=context.run.run_id)
    summary = validate_raw_events(frame)
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
