"""dbt inside the pipeline process: the one place that uses dagster-dbt's and dbt's internals.

dagster-dbt's public way, ``DbtCliResource(...).cli(["build"], context=context).stream()``, starts a ``dbt``
subprocess that imports dbt and parses the project on every pass; ``python -m bench dbt_invocation`` measures it at
about seven times the in-process build on the demo club's data (21 s against 2.8 s a pass), and the dbt step is most
of what stands between an event and its snapshot. So dbt runs here through ``dbtRunner`` on a manifest parsed once,
and everything that public APIs do not offer for that is in :func:`run_dbt_in_process` and nowhere else:

- the dbt selection of a Dagster subset (``dagster_dbt.asset_utils``), as ``DbtCliResource.cli`` computes it;
- dbt's structured result events as dicts (``dbt_common``), turned into materializations and asset-check results
  by dagster-dbt's own translation (``DbtCoreCliEventMessage``), as ``.stream()`` does;
- closing the database dbt-duckdb keeps open (its connection manager's ``_ENV``).

tests/pipelines/test_dbt_in_process.py compares its outcome with ``DbtCliResource``'s on the same selection, so an
upgrade of dagster-dbt or dbt that changes any of these fails there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
from dagster_dbt import DbtProject

_RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})


@dataclass
class InProcessDbtRun:
    success: bool
    exception: BaseException | None
    # dbtRunnerResult.result: RunExecutionResult for build/run/test (``.results``), Manifest for parse.
    result: Any
    # Materializations and asset-check results for the context's assets (empty without a context).
    asset_events: list[Any] = field(default_factory=list)
    # "unique_id: status" of every node that neither succeeded nor passed.
    failed_nodes: list[str] = field(default_factory=list)


def run_dbt_in_process(
    args: Sequence[str],
    *,
    manifest: Any,
    project: DbtProject,
    project_args: Sequence[str] = (),
    context: dg.AssetExecutionContext | None = None,
    selection: Sequence[str] | None = None,
) -> InProcessDbtRun:
    """Run ``dbt <args>`` in this process on the parsed ``manifest``.

    With a Dagster ``context`` the command is limited to the context's selected dbt assets, or to ``selection``
    (dbt arguments such as ``["--select", …]``, for a subset of those assets) when given, and the outcome carries
    their Dagster events. The caller serializes calls (dbt keeps global state).
    """
    from dagster_dbt.asset_utils import (
        DAGSTER_DBT_EXCLUDE_METADATA_KEY,
        DAGSTER_DBT_SELECT_METADATA_KEY,
        DAGSTER_DBT_SELECTOR_METADATA_KEY,
        get_manifest_and_translator_from_dbt_assets,
        get_subset_selection_for_context,
    )
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    command = list(args)
    manifest_json: Mapping[str, Any] = {}
    translator = None
    if context is not None:
        manifest_json, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
        subset, indirect_selection = get_subset_selection_for_context(
            context=context,
            manifest=manifest_json,
            select=context.op.tags.get(DAGSTER_DBT_SELECT_METADATA_KEY),
            exclude=context.op.tags.get(DAGSTER_DBT_EXCLUDE_METADATA_KEY),
            selector=context.op.tags.get(DAGSTER_DBT_SELECTOR_METADATA_KEY),
            dagster_dbt_translator=translator,
            current_dbt_indirect_selection_env=None,
        )
        if selection is None:
            command += [*subset, *(["--indirect-selection", indirect_selection] if indirect_selection else [])]
    if selection is not None:
        command += list(selection)

    results: list[dict[str, Any]] = []

    def keep_results(event: Any) -> None:
        if event.info.name in _RESULT_EVENTS:
            results.append(msg_to_dict(event))

    try:
        outcome = dbtRunner(manifest=manifest, callbacks=[keep_results]).invoke([*command, *project_args])
    finally:
        # dbt-duckdb keeps its database open after a command: left so, it would lock the warehouse file against
        # every other process, and make this process's next connection fail for its different configuration.
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager.close_all_connections()
        if environment is not None:
            environment.close()

    run = InProcessDbtRun(success=outcome.success, exception=outcome.exception, result=outcome.result)
    run.failed_nodes = [
        f"{e['data']['node_info']['unique_id']}: {e['data']['node_info'].get('node_status')}"
        for e in results
        if e["data"]["node_info"].get("node_status") not in ("success", "pass")
    ]
    if context is not None:
        for raw_event in results:
            run.asset_events += DbtCoreCliEventMessage(
                raw_event=raw_event, event_history_metadata={}
            ).to_default_asset_events(
                manifest=manifest_json, dagster_dbt_translator=translator, context=context, project=project
            )
    return run
