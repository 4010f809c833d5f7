import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.dbt_models import MART_ASSET_KEYS
from pipelines.resources import ServingResource, warehouse_connection
from warehouse.serving import publish_snapshot


@dg.asset(
    deps=MART_ASSET_KEYS,
    group_name="serving",
    kinds={"duckdb"},
    description="A read-only copy of every table in the marts schema, made current atomically; the stats API, "
    "dashboards and analysts read it without touching the writer's lock.",
)
def serving_snapshot(duckdb: DuckDBResource, serving: ServingResource) -> dg.MaterializeResult:
    with warehouse_connection(duckdb) as conn:
        tables = [
            f"marts.{name}"
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_schema = 'marts' AND table_type = 'BASE TABLE' "
                "ORDER BY table_name"
            ).fetchall()
        ]
        path = publish_snapshot(conn, serving.serving_path, tables)
    return dg.MaterializeResult(metadata={"snapshot": str(path), "tables": tables})
