"""dbt on a league: a full ``dbt build`` against the build after one more day of data arrived.

A synthetic league's events (all days but the last) are loaded into a fresh DuckDB warehouse and built from scratch
(the baseline); then the last day's events are loaded and the pipeline's build runs again, exactly as the pipeline
runner invokes it (in process, on the cached manifest, ``--threads 4``). The builds run in a worker process so that
the warehouse path reaches dbt through its environment, as under ``hub up``.

    python -m bench dbt_build [--teams 10 --players 25 --days 90]
"""

from __future__ import annotations

import argparse
import json
import os
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
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _worker(args) -> None:
    import duckdb

    from hub.league import LeagueSize, league_events, plan_league
    from pipelines.dbt_build import invoke_dbt, parsed_manifest
    from warehouse.raw import load_events

    league = plan_league(LeagueSize(orgs=1, teams=args.teams, players=args.players, days=args.days), seed=9)
    events = list(league_events(league))
    history = [e for e in events if e.occurred_at.date() < league.end_date]
    last_day = [e for e in events if e.occurred_at.date() >= league.end_date]
    with duckdb.connect(str(args.worker)) as conn:
        load_events(conn, history, load_id="history")
    parsed_manifest()
    timings = {}
    for name, batch in (("full", None), ("after_one_more_day", last_day)):
        if batch:
            with duckdb.connect(str(args.worker)) as conn:
                load_events(conn, batch, load_id="last-day")
        started = time.perf_counter()
        outcome = invoke_dbt(["build", "--threads", "4"])
        timings[name] = time.perf_counter() - started
        if not outcome.success:
            raise SystemExit(f"dbt build failed: {outcome.exception}")
    with duckdb.connect(str(args.worker), read_only=True) as conn:
        mart_rows = conn.execute("SELECT count(*) FROM marts.fct_player_daily_load").fetchone()[0]
    print(json.dumps({**timings, "events": len(events), "last_day_events": len(last_day), "mart_rows": mart_rows}))


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    if args.worker:
        _worker(args)
        return {}
    with tempfile.TemporaryDirectory(prefix="hub-bench-dbt-") as work:
        warehouse = Path(work) / "hub.duckdb"
        env = {**os.environ, **TELEMETRY_OFF, "HUB_WAREHOUSE_PATH": str(warehouse), "HUB_DBT_TARGET": "duckdb"}
        argv = [sys.executable, "-m", "bench", "dbt_build", "--teams", str(args.teams), "--players", str(args.players)]
        argv += ["--days", str(args.days), "--worker", str(warehouse)]
        out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError(f"the dbt worker failed: {out.stderr[-1500:]}")
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    full, incremental = figures["full"], figures["after_one_more_day"]
    result = {
        "league": {"teams": args.teams, "players_per_team": args.players, "days": args.days},
        "events": figures["events"],
        "last_day_events": figures["last_day_events"],
        "mart_rows": figures["mart_rows"],
        "full_build_s": round(full, 2),
        "build_after_one_more_day_s": round(incremental, 2),
        "incremental_vs_full_ratio": round(incremental / full, 3),
        "target_max_ratio": TARGET_RATIO,
        "target_met": incremental / full <= TARGET_RATIO,
    }
    rows = [
        ("dbt build, one more day of data", incremental, f"{incremental / full:.2f}"),
        ("dbt build from scratch (baseline)", full, "1.00"),
    ]
    title = f"dbt_build ({figures['events']} events, {args.teams}×{args.players} players, {args.days} days)"
    print_table(title, ("build", "seconds", "ratio"), rows)
    print(f"  target: incremental ≤ {TARGET_RATIO:.0%} of full: {verdict(result['target_met'])}")
    write_result("dbt_build", result)
    return result


if __name__ == "__main__":
    main()
