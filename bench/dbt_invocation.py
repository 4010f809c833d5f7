"""The pipeline's dbt step two ways: in process on the cached manifest, or dagster-dbt's public CLI resource.

The demo club's size (two teams of four players, six weeks of logs) is loaded into a fresh DuckDB warehouse, and
the dbt asset of the warehouse job is materialized alternately with the pipeline's in-process resource
(``DbtBuildResource``: ``dbtRunner`` on a manifest parsed once) and with ``DbtCliResource(...).cli(["build"],
context=context).stream()`` (a ``dbt`` subprocess per pass), a few events arriving before every pass as in use.
Both run in one worker process, so they share the machine's load; the ratio is what the choice costs in freshness.

    python -m bench dbt_invocation [--passes 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import TELEMETRY_OFF, print_table, quick
from bench.results import write_result


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench dbt_invocation")
    parser.add_argument("--passes", type=int, default=2 if quick() else 5)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _worker(args) -> None:
    import dagster as dg
    import duckdb
    from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

    from hub.league import LeagueSize, league_events, plan_league
    from pipelines.dbt_build import (
        PIPELINE_EXCLUDE,
        DbtBuildResource,
        HubDbtTranslator,
        dbt_project,
        parsed_manifest,
        prepare_manifest,
    )
    from pipelines.defs.dbt_models import warehouse_dbt_models
    from pipelines.resources import WarehouseResource
    from warehouse.raw import ensure_raw_schema, load_events

    @dbt_assets(
        manifest=prepare_manifest(dbt_project),
        project=dbt_project,
        exclude=PIPELINE_EXCLUDE,
        dagster_dbt_translator=HubDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    )
    def cli_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    league = plan_league(LeagueSize(orgs=1, teams=2, players=4, days=42), seed=11)
    events = list(league_events(league))
    last_day = [e for e in events if e.occurred_at.date() >= league.end_date]
    history = [e for e in events if e.occurred_at.date() < league.end_date]
    with duckdb.connect(str(args.worker)) as conn:
        ensure_raw_schema(conn)
        load_events(conn, history, load_id="history")
    parsed_manifest()
    instance = dg.DagsterInstance.ephemeral()
    ways = {
        # every asset of the job on each pass, as the CLI resource builds them (not what the new events reach)
        "in_process": (
            [warehouse_dbt_models],
            {
                "dbt": DbtBuildResource(select_by_loaded_events=False),
                "warehouse": WarehouseResource(duckdb_path=str(args.worker), serving_dir=str(args.worker.parent)),
            },
        ),
        "cli_subprocess": (
            [cli_models],
            {"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt"))},
        ),
    }
    timings: dict[str, list[float]] = {name: [] for name in ways}
    chunk = max(1, len(last_day) // (args.passes + 1))
    for n in range(args.passes + 1):  # the first round warms both up (views built, imports done)
        for name, (assets, resources) in ways.items():
            with duckdb.connect(str(args.worker)) as conn:
                load_events(conn, last_day[n * chunk : (n + 1) * chunk], load_id=f"{name}-{n}")
            started = time.perf_counter()
            result = dg.materialize(assets, resources=resources, instance=instance, raise_on_error=False)
            if not result.success:
                raise SystemExit(f"the {name} build failed")
            if n:
                timings[name].append(time.perf_counter() - started)
    print(json.dumps({"timings": timings, "events": len(events)}))


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    if args.worker:
        _worker(args)
        return {}
    with tempfile.TemporaryDirectory(prefix="hub-bench-dbt-invocation-") as work:
        warehouse = Path(work) / "hub.duckdb"
        env = {**os.environ, **TELEMETRY_OFF, "HUB_WAREHOUSE_PATH": str(warehouse), "HUB_DBT_TARGET": "duckdb"}
        argv = [
            sys.executable,
            "-m",
            "bench",
            "dbt_invocation",
            "--passes",
            str(args.passes),
            "--worker",
            str(warehouse),
        ]
        out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            raise RuntimeError(f"the dbt worker failed: {out.stderr[-1500:]}")
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    medians = {name: statistics.median(values) for name, values in figures["timings"].items()}
    ratio = medians["cli_subprocess"] / medians["in_process"]
    result = {
        "events": figures["events"],
        "passes": args.passes,
        "in_process_median_s": round(medians["in_process"], 2),
        "cli_subprocess_median_s": round(medians["cli_subprocess"], 2),
        "cli_vs_in_process_ratio": round(ratio, 2),
        "samples_s": {name: [round(v, 2) for v in values] for name, values in figures["timings"].items()},
    }
    rows = [
        ("in process (dbtRunner, cached manifest)", medians["in_process"], "1.00"),
        ("DbtCliResource.cli().stream() (subprocess)", medians["cli_subprocess"], f"{ratio:.2f}"),
    ]
    print_table(
        f"dbt_invocation ({figures['events']} events, median of {args.passes})", ("dbt step", "seconds", "ratio"), rows
    )
    write_result("dbt_invocation", result)
    return result


if __name__ == "__main__":
    main()
