import dagster as dg

from pipelines.dbt_build import DbtBuildResource
from pipelines.resources import NatsResource, WarehouseResource
from warehouse.config import WarehouseSettings


@dg.definitions
def resources() -> dg.Definitions:
    # Configuration comes from the environment of the process that loads the definitions (the runner sets it
    # from PipelineSettings), never from branches in code.
    return dg.Definitions(
        resources={
            "nats": NatsResource(url=dg.EnvVar("HUB_NATS_URL")),
            "warehouse": WarehouseResource.from_settings(WarehouseSettings()),
            "dbt": DbtBuildResource(),
        }
    )
