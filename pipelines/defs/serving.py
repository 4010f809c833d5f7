import dagster as dg

from pipelines.dbt_selection import marts_to_publish, record_snapshot_published
from pipelines.defs.dbt_models import MART_ASSET_KEYS
from pipelines.resources import WarehouseResource


@dg.asset(
    deps=MART_ASSET_KEYS,
    group_name="serving",
    description="A read-only copy of every table in the marts schema, made current atomically (a snapshot file on "
    "DuckDB, the serving schema on Postgres); the stats API, dashboards and analysts read it, never a half build. "
    "On DuckDB the marts no build changed since the last copy come with a copy of its file.",
)
def serving_snapshot(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.session() as session:
        tables = session.mart_tables()
        changed = marts_to_publish(session)
        published = session.publish_serving(tables, changed=changed)
        record_snapshot_published(session)
    copied = tables if changed is None else sorted(changed)
    return dg.MaterializeResult(metadata={"snapshot": published, "tables": tables, "changed_tables": copied})
