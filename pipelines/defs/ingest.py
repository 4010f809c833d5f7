import dagster as dg

from pipelines.ingest import IngestResult, ingest_pending_events
from pipelines.resources import NatsResource, WarehouseResource


@dg.asset(
    group_name="ingest",
    kinds={"nats"},
    description="Every event on the HUB_EVENTS stream, one row per event_id in raw.events (durable consumer "
    "`warehouse`; invalid messages go to HUB_DEAD_LETTER).",
)
def raw_events(
    context: dg.AssetExecutionContext, nats: NatsResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    with warehouse.session() as session:
        result: IngestResult = nats.run(lambda js: ingest_pending_events(js, session, load_id=context.run_id))
    context.log.info(
        f"raw.events: {result.rows_inserted} inserted, {result.duplicates_skipped} duplicates skipped, "
        f"{result.dead_lettered} dead-lettered"
    )
    return dg.MaterializeResult(
        metadata={
            "rows_inserted": result.rows_inserted,
            "duplicates_skipped": result.duplicates_skipped,
            "dead_lettered": result.dead_lettered,
            "load_id": context.run_id,
            "oldest_new_event_at": dg.MetadataValue.timestamp(result.oldest_new_event_at)
            if result.oldest_new_event_at
            else dg.MetadataValue.null(),
        }
    )
