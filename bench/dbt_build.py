"""dbt on a league: the pipeline's dbt build after one more day of data arrived, against a full build.

A synthetic league's events (all days but the last) are loaded into a fresh DuckDB warehouse. In the first worker
only, a complete ``dbt build`` (every model, data test and unit test) runs first, as CI does and as the benchmark
measured before the player-day marts became incremental: context, no ratio rests on it. The baseline is the
pipeline's full build: what a pipeline pass selects (``PIPELINE_EXCLUDE``: no unit tests, no staging or intermediate
tests) with every table rebuilt from scratch (``--full-refresh``). Then the last day's events are loaded and the
build runs exactly as a pipeline pass after it (in process, on the cached manifest, ``--threads 4``, the views it
already made left out, only the models downstream of the event types loaded since the last build:
pipelines/dbt_selection.py). A last pass follows as the first one after midnight would with nothing new loaded: it
builds the models that read the date. The builds run in a worker process so that the warehouse path reaches dbt
through its environment, as under ``hub up``; the pipeline's figures are medians over ``--repeat`` workers, each on
a new warehouse.

    python -m bench dbt_build [--teams 10 --players 25 --days 90 --repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import TELEMETRY_OFF, print_table, quick, verdict
from bench.results import write_result

TARGET_RATIO = 0.20


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench dbt_build")
    parser.add_argument("--teams", type=int, default=2 if quick() else 10)
    parser.add_argument("--players", type=int, default=10 if quick() else 25)
    parser.add_argument("--days", type=int, default=14 if quick() else 90)
    parser.add_argument("--repeat", type=int, default=1 if quick() else 3)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--everything", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _profile(outcome) -> dict:
    """Where a build's time went, from dbt's own per-node timings (summed over threads)."""
    results = outcome.result.results
    by_type: dict[str, list[float]] = {}
    for r in results:
        by_type.setdefault(str(r.node.resource_type), []).append(r.execution_time)
    slowest = sorted(results, key=lambda r: r.execution_time, reverse=True)[:6]
    return {
        "nodes": {kind: len(times) for kind, times in by_type.items()},
        "node_seconds": {kind: round(sum(times), 2) for kind, times in by_type.items()},
        "slowest": {r.node.name: round(r.execution_time, 2) for r in slowest},
    }


def _worker(args) -> None:
    from datetime import timedelta

    import duckdb

    from hub.league import LeagueSize, league_events, plan_league
    from pipelines.dbt_build import (
        PIPELINE_EXCLUDE,
        invoke_dbt,
        manifest_fingerprint,
        parsed_manifest,
        pass_selection,
    )
    from pipelines.dbt_selection import STATE_TABLE, plan_pass, record_build
    from warehouse.duckdb_warehouse import DuckDBWarehouse
    from warehouse.raw import load_events

    league = plan_league(LeagueSize(orgs=1, teams=args.teams, players=args.players, days=args.days), seed=9)
    events = list(league_events(league))
    history = [e for e in events if e.occurred_at.date() < league.end_date]
    last_day = [e for e in events if e.occurred_at.date() >= league.end_date]
    warehouse = DuckDBWarehouse(args.worker, args.worker.parent / "serving")
    with warehouse.session() as session:
        session.ensure_raw_schema()
        load_events(session.conn, history, load_id="history")
    manifest = parsed_manifest()
    fingerprint = manifest_fingerprint()
    timings, profiles, selections = {}, {}, {}

    def timed(name: str, command: list[str]) -> None:
        started = time.perf_counter()
        outcome = invoke_dbt(command)
        timings[name] = time.perf_counter() - started
        if not outcome.success:
            raise SystemExit(f"dbt build failed: {outcome.exception or outcome.failed_nodes}")
        profiles[name] = _profile(outcome)

    def pipeline_pass(name: str) -> None:
        """As the pipeline's dbt step runs a pass: plan from the warehouse, build the selection, record it."""
        started = time.perf_counter()
        with warehouse.session() as session:
            plan = plan_pass(session, manifest, fingerprint)
        outcome = invoke_dbt(["build", "--threads", "4", *pass_selection(plan, manifest, views_built=True)])
        with warehouse.session() as session:
            record_build(session, plan)
        timings[name] = time.perf_counter() - started
        if not outcome.success:
            raise SystemExit(f"dbt build failed: {outcome.exception or outcome.failed_nodes}")
        profiles[name], selections[name] = _profile(outcome), {"reason": plan.reason, "select": plan.select}

    if args.everything:
        timed("everything", ["build", "--threads", "4"])
    # the baseline: a first pass (nothing recorded) builds everything, from scratch
    with warehouse.session() as session:
        first = plan_pass(session, manifest, fingerprint)
    assert first.select is None, first.reason
    timed("full", ["build", "--threads", "4", "--full-refresh", "--exclude", *PIPELINE_EXCLUDE.split()])
    with warehouse.session() as session:
        record_build(session, first)
        load_events(session.conn, last_day, load_id="last-day")
    pipeline_pass("after_one_more_day")
    # the first pass after midnight with nothing new: the marts that read the date
    with warehouse.session() as session:
        session.execute(f"UPDATE {STATE_TABLE} SET clock_date = ?", [first.clock_date - timedelta(days=1)])
    pipeline_pass("date_changed")
    with duckdb.connect(str(args.worker), read_only=True) as conn:
        mart_rows = conn.execute("SELECT count(*) FROM marts.fct_player_daily_load").fetchone()[0]
    figures = {"events": len(events), "last_day_events": len(last_day), "mart_rows": mart_rows}
    print(json.dumps({**timings, **figures, "profiles": profiles, "selections": selections}))


def _run_worker(args, work: Path, *, everything: bool) -> dict:
    warehouse = work / "hub.duckdb"
    for leftover in (warehouse, warehouse.with_suffix(".duckdb.wal")):  # every worker on a new warehouse
        leftover.unlink(missing_ok=True)
    env = {**os.environ, **TELEMETRY_OFF, "HUB_WAREHOUSE_PATH": str(warehouse), "HUB_DBT_TARGET": "duckdb"}
    argv = [sys.executable, "-m", "bench", "dbt_build", "--teams", str(args.teams), "--players", str(args.players)]
    argv += ["--days", str(args.days), "--worker", str(warehouse), *(["--everything"] if everything else [])]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"the dbt worker failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    if args.worker:
        _worker(args)
        return {}
    # The workers' warehouses at one path: dbt parses the project from scratch when the database path in its profile
    # changes, so only the first worker pays a whole parse (not timed); the others reuse its partial-parse cache.
    with tempfile.TemporaryDirectory(prefix="hub-bench-dbt-") as work:
        # the complete build (a third of a worker's time, no ratio rests on it) in the first worker only; a smoke
        # run leaves it out
        runs = [_run_worker(args, Path(work), everything=n == 0 and not quick()) for n in range(max(1, args.repeat))]
    builds = ("full", "after_one_more_day", "date_changed")
    full, after, date_changed = (statistics.median(r[k] for r in runs) for k in builds)
    everything = runs[0].get("everything")
    median_run = sorted(runs, key=lambda r: r["after_one_more_day"])[len(runs) // 2]
    result = {
        "league": {"teams": args.teams, "players_per_team": args.players, "days": args.days},
        "events": runs[0]["events"],
        "last_day_events": runs[0]["last_day_events"],
        "mart_rows": runs[0]["mart_rows"],
        "repeats": len(runs),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "dbt_build_everything_s": everything and round(everything, 2),
        "full_build_s": round(full, 2),
        "build_after_one_more_day_s": round(after, 2),
        "incremental_vs_full_ratio": round(after / full, 3),
        "build_after_date_changed_s": round(date_changed, 2),
        "date_changed_vs_full_ratio": round(date_changed / full, 3),
        "pass_selection_after_one_more_day": median_run["selections"]["after_one_more_day"],
        "pass_selection_date_changed": median_run["selections"]["date_changed"],
        "incremental_vs_everything_ratio": everything and round(after / everything, 3),
        "runs_s": [{k: round(r[k], 2) for k in ("everything", *builds) if k in r} for r in runs],
        "profile_full": median_run["profiles"]["full"],
        "profile_after_one_more_day": median_run["profiles"]["after_one_more_day"],
        "profile_date_changed": median_run["profiles"]["date_changed"],
        "target_max_ratio": TARGET_RATIO,
        "target_met": after / full <= TARGET_RATIO,
    }
    rows = [
        ("pipeline build, one more day of data", after, f"{after / full:.2f}"),
        ("pipeline build from scratch (baseline)", full, "1.00"),
        ("pipeline build, the date changed, nothing loaded", date_changed, f"{date_changed / full:.2f}"),
    ]
    if everything:
        rows.append(("complete dbt build (unit and upstream tests too), once", everything, f"{everything / full:.2f}"))
    title = f"dbt_build ({result['events']} events, {args.teams}×{args.players} players, {args.days} days)"
    print_table(title + f", median of {len(runs)}", ("build", "seconds", "ratio"), rows)
    print(f"  target: incremental ≤ {TARGET_RATIO:.0%} of full: {verdict(result['target_met'])}")
    write_result("dbt_build", result)
    return result


if __name__ == "__main__":
    main()
