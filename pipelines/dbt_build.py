"""The dbt project, its manifest, and dbt builds run inside the pipeline process.

dbt is invoked through ``dbtRunner`` with a parsed manifest kept in memory: starting dbt as a subprocess costs
seconds of interpreter start-up and parsing on every run, which is most of a pipeline pass when a handful of events
arrived (``python -m bench dbt_invocation`` measures the two). The structured events dbt fires are turned into
Dagster materializations and asset checks by dagster-dbt's own translation, exactly as with its CLI resource; the
calls into dbt's and dagster-dbt's internals this takes are all in pipelines/dbt_in_process.py.

dbt keeps global state (flags, adapters, event logger), so builds in one process are serialized with a lock.
"""

from __future__ import annotations

import graphlib
import hashlib
import shutil
import threading
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from pipelines.config import DbtProfileSettings
from pipelines.dbt_in_process import InProcessDbtRun, run_dbt_in_process
from pipelines.dbt_selection import PassPlan, plan_pass, record_build, record_unknown_build
from pipelines.lanes import FAST, FULL, LANE_RUN_TAG, reached_models
from pipelines.resources import WarehouseResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt"
RAW_EVENTS_ASSET_KEY = dg.AssetKey("raw_events")
# Unit tests check model logic, not data, and the data tests of staging and intermediate models guard what ingest
# and the unit tests already guarantee: CI and the test suite run them all, a pipeline pass only the marts' tests.
# The facts' relationships tests only warn (events arrive in any order) and cost a second a pass on a league of ten
# teams (12 more dbt nodes, about 4.1 s against 3.0 s): they run with the others, not in a pass. Every marts'
# not_null test checks a column its enforced contract already declares NOT NULL, so the warehouse refuses a null
# there before any test could see it: a third of a pass's nodes (a node costs dbt tens of milliseconds however
# small), left to CI (tests/pipelines/test_contract_not_null.py keeps the premise true). Likewise every marts' unique
# test checks its mart's primary key, declared in the same contract: the warehouse refuses a second row of a key
# (tests/pipelines/test_contract_primary_key.py), so a pass leaves those out too.
PIPELINE_EXCLUDE = "test_type:unit tag:upstream_of_marts tag:referential_integrity test_name:not_null test_name:unique"
NOTHING_LOADED = "nothing loaded since the last build"
NO_TYPE_LOADED = "no event type it reads was loaded"
_PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_dbt_lock = threading.RLock()
_manifests: dict[tuple[str, ...], Any] = {}
# The project files each cached manifest was parsed from, hashed (pipelines/dbt_selection.py: a change builds all).
_fingerprints: dict[tuple[str, ...], str] = {}
# Views (staging, intermediate) change only when their SQL does, yet recreating them was half of every pass: each
# warehouse gets them once per process and project version, and passes after that build the tables and tests only.
_views_built: dict[tuple[str, str], str] = {}


class HubDbtTranslator(DagsterDbtTranslator):
    """Models are keyed ``<schema>/<model>`` (``marts/fct_player_daily_load``); source raw.events is the
    ``raw_events`` ingest asset, so dbt runs downstream of it."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source" and (dbt_resource_props["source_name"], dbt_resource_props["name"]) == (
            "raw",
            "events",
        ):
            return RAW_EVENTS_ASSET_KEY
        schema = dbt_resource_props.get("config", {}).get("schema")
        if resource_type == "model" and schema:
            return dg.AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(file.stat().st_mtime > built for file in _project_files(project))


def _project_files(project: DbtProject, *, connections: bool = True) -> list[Path]:
    """Every file of the project a parse reads (``connections``: profiles.yml too), in a stable order."""
    files = []
    for name in _PROJECT_FILES:
        if name == "profiles.yml" and not connections:
            continue
        path = project.project_dir / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += sorted(f for f in path.rglob("*") if f.is_file())
    return files


def prepare_manifest(project: DbtProject = dbt_project) -> Path:
    """Make target/manifest.json exist and match the project files (parses only when it does not)."""
    if manifest_is_stale(project):
        parsed_manifest(project, refresh=True)
    return project.manifest_path


def parsed_manifest(project: DbtProject = dbt_project, *, refresh: bool = False) -> Any:
    """The parsed dbt ``Manifest`` for the current profile, parsed once per process and profile.

    Parsing happens in a private directory seeded with this profile's partial-parse cache (dbt re-parses everything
    when the profile changes, so each target and database keeps its own); manifest.json and the cache are moved
    into target/ with atomic renames, so concurrent processes never read a half-written file.
    """
    from dbt.cli.main import dbtRunner  # imported lazily: loading dbt takes seconds

    key = DbtProfileSettings().cache_key(project.project_dir)
    with _dbt_lock:
        if not refresh and key in _manifests:
            return _manifests[key]
        target_dir = project.project_dir / project.target_path
        partial_parse_cache = target_dir / f"partial_parse.{key[1]}.{key[2] or 'default'}.msgpack"
        scratch = target_dir / f".parse-{uuid.uuid4().hex}"
        scratch.mkdir(parents=True)
        fingerprint = project_files_fingerprint(project)
        try:
            if partial_parse_cache.exists():
                shutil.copy(partial_parse_cache, scratch / "partial_parse.msgpack")
            result = dbtRunner().invoke(
                ["parse", "--quiet", "--target-path", str(scratch), "--log-path", str(scratch)] + _project_args(project)
            )
            if not result.success:
                raise RuntimeError(f"dbt parse failed: {result.exception}")
            if (scratch / "partial_parse.msgpack").exists():
                (scratch / "partial_parse.msgpack").replace(partial_parse_cache)
            (scratch / "manifest.json").replace(target_dir / "manifest.json")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        _manifests[key], _fingerprints[key] = result.result, fingerprint
        return result.result


def project_files_fingerprint(project: DbtProject = dbt_project) -> str:
    """A hash of every project file a build depends on (models, macros, tests, dbt_project.yml) and of dbt's
    version: equal fingerprints mean the same models, tests and vars."""
    from dbt.version import __version__ as dbt_version

    digest = hashlib.sha256(dbt_version.encode())
    for file in _project_files(project, connections=False):  # connections are not models
        digest.update(f"{file.relative_to(project.project_dir)}\0".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def manifest_fingerprint(project: DbtProject = dbt_project) -> str:
    """The fingerprint of the project files the cached manifest was parsed from."""
    parsed_manifest(project)
    return _fingerprints[DbtProfileSettings().cache_key(project.project_dir)]


def _project_args(project: DbtProject) -> list[str]:
    args = ["--project-dir", str(project.project_dir), "--profiles-dir", str(project.profiles_dir)]
    if project.target:
        args += ["--target", project.target]
    return args


class DbtBuildResource(dg.ConfigurableResource):
    """Runs ``dbt build`` for the selected dbt assets in this process.

    When the whole job runs (not a subset picked by hand) and ``select_by_loaded_events`` is on, a pass builds only
    what the events loaded since the last successful build reach (pipelines/dbt_selection.py), and nothing when
    none arrived; the marts it leaves as they were are reported with status ``reused``, as dagster-dbt reports the
    nodes dbt itself reuses, so the serving snapshot downstream still runs. A run tagged ``hub/lane=fast`` builds
    only the fast lane's marts (pipelines/lanes.py) and reports the others its events reach as ``deferred``."""

    threads: int = 4
    select_by_loaded_events: bool = True
    # How long fast-lane passes may leave the other marts behind before a pass builds them all the same.
    max_deferral_seconds: float = 60.0

    def build(
        self,
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource | None = None,
        project: DbtProject = dbt_project,
    ) -> Iterator[Any]:
        manifest = parsed_manifest(project)
        plan: PassPlan | None = None
        if warehouse is not None and self.select_by_loaded_events and context.is_subset is False:
            lane = context.run.tags.get(LANE_RUN_TAG, FULL)
            with warehouse.session() as session:
                plan = plan_pass(
                    session,
                    manifest,
                    manifest_fingerprint(project),
                    lane=lane,
                    max_deferral_seconds=self.max_deferral_seconds,
                )
            context.log.info(f"dbt pass: {plan.reason}; selected {plan.select if plan.select is not None else 'all'}")
            if plan.builds_nothing:
                # a build whose snapshot was never published (the process stopped between them) still gets one
                if plan.snapshot_owed:
                    unbuilt = _unbuilt_marts(context, built=set(), deferred=set(), reason=NOTHING_LOADED)
                    yield from _in_dependency_order(context, [], unbuilt)
                return
        args = ["build", "--threads", str(self.threads)]
        warehouse_key, views = _warehouse_key(), views_fingerprint(manifest)
        skipping_views = _views_built.get(warehouse_key) == views
        selection = None
        if plan is not None and plan.select is not None:
            selection = pass_selection(plan, manifest, views_built=skipping_views)
        elif skipping_views:
            args += ["--exclude", *views_independent_of_tables(manifest)]
        outcome = invoke_dbt(args, project, context=context, selection=selection)
        if outcome.success and not skipping_views and (plan is None or plan.select is None):
            _views_built[warehouse_key] = views
        elif not outcome.success:
            _views_built.pop(warehouse_key, None)  # whatever went wrong, the next pass builds everything again
        unbuilt: dict[str, dict[str, str]] = {}
        if plan is None and warehouse is not None:
            with warehouse.session() as session:
                record_unknown_build(session)
        if outcome.success and plan is not None:
            built = {e.output_name for e in outcome.asset_events if isinstance(e, dg.Output)}
            assets = context.assets_def
            built_marts = {
                ".".join(key.path)
                for key in assets.keys
                if key.path[0] == "marts" and assets.get_output_name_for_asset_key(key) in built
            }
            with warehouse.session() as session:
                record_build(session, plan, built_marts)
            deferred = set(plan.excluded) if plan.lane == FAST else set()
            unbuilt = _unbuilt_marts(context, built=built, deferred=deferred, reason=NO_TYPE_LOADED)
        yield from _in_dependency_order(context, outcome.asset_events, unbuilt)
        if not outcome.success:
            reason = outcome.exception or "; ".join(outcome.failed_nodes) or "see dbt output"
            raise dg.Failure(
                description=f"dbt build failed: {reason}",
                metadata={"failed_nodes": outcome.failed_nodes},
            )


def pass_selection(plan: PassPlan, manifest: Any, *, views_built: bool) -> list[str]:
    """dbt's ``--select``/``--exclude`` arguments for a pass that builds part of the project (``plan.select``): the
    models it reaches by name, worked out here from the manifest, less the views a pass need not recreate when
    ``views_built`` and, for a full-lane pass, the fast lane's models when the fast lane built them already.

    dbt matches every name and ``--exclude`` value of a selection against every node of the project (445, tests
    included) for each of its three selections of a ``build``: the 65 views and the fast lane's marts passed as
    names to leave out cost a quarter of a second a pass; the dozen models to build, named, cost a fraction.
    """
    left_out = set(views_independent_of_tables(manifest)) if views_built else set()
    if plan.lane == FULL:
        left_out |= set(plan.excluded)
    models = sorted(reached_models(manifest, plan.select or []) - left_out)
    if not models:  # what the events reach is all views already built: as dbt selects it, to build nothing
        return ["--select", *(plan.select or []), "--exclude", *PIPELINE_EXCLUDE.split(), *sorted(left_out)]
    return ["--select", *models, "--exclude", *PIPELINE_EXCLUDE.split()]


def _unbuilt_marts(
    context: dg.AssetExecutionContext, *, built: set[str], deferred: set[str], reason: str
) -> dict[str, dict[str, str]]:
    """The metadata of an output for every selected mart this pass did not build (by output name): status
    ``reused`` when it is current, since nothing it reads changed (pipelines/dbt_selection.py), ``deferred`` when
    events it reads were loaded and a later full-lane pass builds it (pipelines/lanes.py); the serving copy keeps
    what it had."""
    unbuilt = {}
    for key in context.assets_def.keys:
        name = context.assets_def.get_output_name_for_asset_key(key)
        if key in context.selected_asset_keys and key.path[0] == "marts" and name not in built:
            if key.path[-1] in deferred:
                unbuilt[name] = {"status": "deferred", "reason": "a fast-lane pass: a full-lane pass builds it next"}
            else:
                unbuilt[name] = {"status": "reused", "reason": reason}
    return unbuilt


def _in_dependency_order(
    context: dg.AssetExecutionContext, events: list[Any], unbuilt: dict[str, dict[str, str]]
) -> Iterator[Any]:
    """dbt's events with an output for each mart of ``unbuilt`` among them, in the dependency order Dagster wants of
    a multi-asset's outputs (each asset's checks right after it): a mart a pass left as it was can be downstream of
    a view it recreated, and a deferred mart downstream of a mart it built."""
    assets = context.assets_def
    outputs = {e.output_name: e for e in events if isinstance(e, dg.Output)}
    checks: dict[dg.AssetKey, list[Any]] = {}
    rest = []
    for event in events:
        if isinstance(event, dg.Output):
            continue
        key = getattr(event, "asset_key", None)
        if key in assets.keys:
            checks.setdefault(key, []).append(event)
        else:
            rest.append(event)
    graph = {key: {dep for dep in assets.asset_deps.get(key, ()) if dep in assets.keys} for key in assets.keys}
    for key in graphlib.TopologicalSorter(graph).static_order():
        name = assets.get_output_name_for_asset_key(key)
        if name in outputs:
            yield outputs[name]
        elif name in unbuilt:
            yield dg.Output(None, output_name=name, metadata=unbuilt[name])
        yield from checks.pop(key, [])
    for remaining in checks.values():
        yield from remaining
    yield from rest


def views_independent_of_tables(manifest: Any) -> list[str]:
    """The view models with no table upstream: those a pass need not recreate.

    A view over a table (an intermediate model reading a mart) is recreated with it on every warehouse alike, since
    Postgres drops the view when dbt replaces the table under it (``DROP … CASCADE``).
    """
    models = {uid: node for uid, node in manifest.nodes.items() if node.resource_type == "model"}
    reads_a_table: dict[str, bool] = {}

    def over_a_table(unique_id: str) -> bool:
        if unique_id not in reads_a_table:
            parents = [p for p in models[unique_id].depends_on.nodes if p in models]
            reads_a_table[unique_id] = any(models[p].config.materialized != "view" or over_a_table(p) for p in parents)
        return reads_a_table[unique_id]

    return sorted(
        node.name for uid, node in models.items() if node.config.materialized == "view" and not over_a_table(uid)
    )


def views_fingerprint(manifest: Any) -> str:
    """Changes whenever a view model is added, removed or its SQL or config changes."""
    digest = hashlib.sha256()
    for unique_id, node in sorted(manifest.nodes.items()):
        if node.resource_type == "model" and node.config.materialized == "view":
            digest.update(f"{unique_id}:{node.checksum.checksum}:{node.config.schema};".encode())
    return digest.hexdigest()


def _warehouse_key() -> tuple[str, str]:
    """The warehouse dbt writes to: the DuckDB file, or the Postgres database."""
    settings = DbtProfileSettings()
    if settings.target == "duckdb":
        return settings.target, str(settings.duckdb_path)
    return settings.target, f"{settings.pg_host}:{settings.pg_port}/{settings.pg_database}"


def invoke_dbt(
    args: list[str],
    project: DbtProject = dbt_project,
    *,
    context: dg.AssetExecutionContext | None = None,
    selection: list[str] | None = None,
) -> InProcessDbtRun:
    """Run a dbt command in this process on the cached manifest (for ``context``'s selected assets, when given, or
    for ``selection``, dbt's ``--select``/``--exclude`` arguments for a part of them)."""
    project_args = [
        "--quiet",
        "--no-use-colors",
        # Artifacts and debug logs are read by no one and cost about a second per invocation.
        "--no-write-json",
        "--log-level-file",
        "none",
        "--target-path",
        str(project.project_dir / project.target_path / "pipeline"),
        "--log-path",
        str(project.project_dir / project.target_path / "pipeline"),
        *_project_args(project),
    ]
    with _dbt_lock:
        return run_dbt_in_process(
            args,
            manifest=parsed_manifest(project),
            project=project,
            project_args=project_args,
            context=context,
            selection=selection,
        )
