import dagster as dg
from dagster_dbt import DagsterDbtTranslatorSettings, dbt_assets

from pipelines.dbt_build import PIPELINE_EXCLUDE, DbtBuildResource, HubDbtTranslator, dbt_project, prepare_manifest
from pipelines.resources import WarehouseResource


@dbt_assets(
    manifest=prepare_manifest(dbt_project),
    project=dbt_project,
    exclude=PIPELINE_EXCLUDE,
    dagster_dbt_translator=HubDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtBuildResource, warehouse: WarehouseResource):
    """Staging views and marts of the dbt project in dbt/, with their dbt tests as asset checks; a pass builds those
    the newly loaded event types reach (pipelines/dbt_selection.py)."""
    yield from dbt.build(context, warehouse)


MART_ASSET_KEYS = sorted(key for key in warehouse_dbt_models.keys if key.path[0] == "marts")
