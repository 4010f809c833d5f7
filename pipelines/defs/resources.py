import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.dbt_build import DbtBuildResource
from pipelines.resources import NatsResource, ServingResource


@dg.definitions
def resources() -> dg.Definitions:
    # Configuration comes from the environment of the process that loads the definitions (the runner sets it
    # from PipelineSettings), never from branches in code.
    return dg.Definitions(
        resources={
            "nats": NatsResource(url=dg.EnvVar("HUB_NATS_URL")),
            "duckdb": DuckDBResource(database=dg.EnvVar("HUB_WAREHOUSE_PATH")),
            "serving": ServingResource(serving_dir=dg.EnvVar("HUB_SERVING_DIR")),
            "dbt": DbtBuildResource(),
        }
    )
