"""The team load board on a league: p95 of ``GET /api/v1/stats/teams/{id}/daily-load`` on the stats API.

A worker process builds the league's warehouse the way the pipeline does (raw events, ``dbt build``, serving
snapshot); the stats API then serves that snapshot from its own uvicorn process and a coach's team board (the last
28 days of every player) is asked for again and again, each time for another team. The baseline is the same
server's ``/healthz``: the floor of one request through this HTTP stack.

    python -m bench stats [--teams 100 --players 25 --days 280 --requests 400]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.common import TELEMETRY_OFF, infra, percentile, print_table, quick, timed_get, uvicorn_server, verdict
from bench.results import write_result
from operational.kit.auth import Principal, issue_access_token

TARGET_P95_MS = 50.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench stats")
    parser.add_argument("--teams", type=int, default=2 if quick() else 100)
    parser.add_argument("--players", type=int, default=10 if quick() else 25)
    parser.add_argument("--days", type=int, default=14 if quick() else 280)
    parser.add_argument("--requests", type=int, default=40 if quick() else 400)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _worker(args) -> None:
    import duckdb

    from hub.league import LeagueSize, league_events, plan_league
    from pipelines.dbt_build import PIPELINE_EXCLUDE, invoke_dbt, parsed_manifest
    from warehouse.duckdb_warehouse import DuckDBSession
    from warehouse.raw import load_events
    from warehouse.serving import publish_snapshot

    phases, started = {}, time.perf_counter()

    def phase(name: str) -> None:
        nonlocal started
        phases[name] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()

    league = plan_league(LeagueSize(orgs=1, teams=args.teams, players=args.players, days=args.days), seed=13)
    warehouse = args.worker / "hub.duckdb"
    batch, events = [], 0
    with duckdb.connect(str(warehouse)) as conn:
        for event in league_events(league):
            batch.append(event)
            if len(batch) == 20000:
                events += load_events(conn, batch, load_id="league")
                batch.clear()
        events += load_events(conn, batch, load_id="league")
    phase("generate_and_load_events_s")
    parsed_manifest()
    phase("parse_manifest_s")
    # the marts as the pipeline builds them from scratch: what a pass selects (the unit tests and the tests of
    # staging and intermediate models, which the board does not read, left out)
    outcome = invoke_dbt(["build", "--threads", "4", "--full-refresh", "--exclude", *PIPELINE_EXCLUDE.split()])
    if not outcome.success:
        raise SystemExit(f"dbt build failed: {outcome.exception or outcome.failed_nodes}")
    phase("dbt_build_s")
    with duckdb.connect(str(warehouse)) as conn:
        # every mart, as the pipeline publishes them: the board reads the team and player dimensions too
        marts = DuckDBSession(conn, args.worker / "serving").mart_tables()
        publish_snapshot(conn, args.worker / "serving", marts)
        mart_rows = conn.execute("SELECT count(*) FROM marts.fct_player_daily_load").fetchone()[0]
    phase("serving_snapshot_s")
    teams = [str(team.id) for _, team in league.teams()]
    league_figures = {"org_id": str(league.clubs[0].id), "teams": teams, "events": events, "mart_rows": mart_rows}
    print(json.dumps({**league_figures, "phases": phases}))


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    if args.worker:
        _worker(args)
        return {}
    with infra(postgres=False) as servers:
        work = Path(tempfile.mkdtemp(prefix="league-", dir=servers.work_dir))
        env = {**servers.env, **TELEMETRY_OFF, "HUB_WAREHOUSE_PATH": str(work / "hub.duckdb")}
        argv = [sys.executable, "-m", "bench", "stats", "--teams", str(args.teams), "--players", str(args.players)]
        argv += ["--days", str(args.days), "--worker", str(work)]
        started = time.monotonic()
        out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=1200)
        if out.returncode != 0:
            raise RuntimeError(f"the league worker failed: {out.stderr[-1500:]}")
        build_seconds = time.monotonic() - started
        league = json.loads(out.stdout.strip().splitlines()[-1])
        env["HUB_STATS_SERVING_DIR"] = str(work / "serving")
        org_id, teams = uuid.UUID(league["org_id"]), [uuid.UUID(t) for t in league["teams"]]
        coach = Principal(user_id=uuid.uuid4(), org_id=org_id, roles=frozenset({"coach"}), team_ids=frozenset(teams))
        private_key = (servers.key_dir / "jwt_private.pem").read_bytes()
        token = issue_access_token(coach, private_key_pem=private_key, issuer="hockey-hub", audience="hockey-hub")
        headers = {"Authorization": f"Bearer {token}"}
        # a generous start-up bound: a loaded shared machine can take over a minute to the first answer
        server = uvicorn_server("operational.stats.app:create_app", env, ready_timeout=300)
        with server as stats, httpx.Client(base_url=stats) as client:
            for team in teams[:5]:  # warm up: first queries open the snapshot and plan
                timed_get(client, f"/api/v1/stats/teams/{team}/daily-load", headers)
            board = [
                timed_get(client, f"/api/v1/stats/teams/{teams[n % len(teams)]}/daily-load", headers)
                for n in range(args.requests)
            ]
            floor = [timed_get(client, "/healthz", {}) for _ in range(args.requests)]
    p50, p95 = percentile(board, 50), percentile(board, 95)
    floor_p50, floor_p95 = percentile(floor, 50), percentile(floor, 95)
    result = {
        "league": {"teams": args.teams, "players_per_team": args.players, "days": args.days},
        "events": league["events"],
        "mart_rows": league["mart_rows"],
        "league_build_seconds": round(build_seconds, 1),
        "league_build_phases_s": league["phases"],
        "requests": args.requests,
        "team_board_p50_ms": round(p50, 2),
        "team_board_p95_ms": round(p95, 2),
        "healthz_p50_ms": round(floor_p50, 2),
        "healthz_p95_ms": round(floor_p95, 2),
        "board_vs_healthz_p95_ratio": round(p95 / floor_p95, 1),
        "target_p95_max_ms": TARGET_P95_MS,
        "target_met": p95 < TARGET_P95_MS,
    }
    rows = [
        ("GET teams/{id}/daily-load (28 days, coach)", p50, p95, f"{p95 / floor_p95:.1f}"),
        ("GET /healthz, same server (baseline)", floor_p50, floor_p95, "1.0"),
    ]
    title = (
        f"stats ({args.teams} teams × {args.players} players × {args.days} days: {league['events']} events, "
        f"{league['mart_rows']} player-days; {args.requests} requests one at a time)"
    )
    print_table(title, ("request", "p50 ms", "p95 ms", "p95 ratio"), rows)
    print(f"  target: team board p95 < {TARGET_P95_MS:.0f} ms: {verdict(result['target_met'])}")
    write_result("stats", result)
    return result


if __name__ == "__main__":
    main()
