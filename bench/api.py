"""The club API under load, against a hello-world FastAPI app served the same way.

Gateway and hello-world each run in their own uvicorn process (one worker, as ``hub serve`` runs them), the relay
alongside as ``make up`` runs it; wrk drives closed-loop load at a fixed number of connections from its own process.
Then the DB read endpoint is held at half its saturation rate by an open-loop generator for the p99 that a user sees
on a busy but not overloaded server.

    python -m bench api [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx

from bench.common import infra, print_table, quick, stop_process, uvicorn_server, verdict, wrk
from bench.results import write_result
from hub.league import LeagueSize, plan_league
from hub.league_seed import seed_league_via_api
from operational.users.config import UsersSettings

READ_TARGET_RATIO = 0.35
P99_TARGET_MS = 25.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--seconds", type=int, default=2 if quick() else 10, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--players", type=int, default=5 if quick() else 25, help="players in the seeded team")
    parser.add_argument("--days", type=int, default=7 if quick() else 56, help="days of RPE logs seeded")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    with infra() as servers:
        env = servers.env
        relay = subprocess.Popen(
            [sys.executable, "-m", "hub", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            with (
                uvicorn_server("operational.gateway:create_app", env) as gateway,
                uvicorn_server("bench.hello_app:create_app", env) as hello,
            ):
                return _measure(args, servers, gateway, hello)
        finally:
            stop_process(relay)


def _measure(args, servers, gateway: str, hello: str) -> dict:
    settings = UsersSettings(
        database_url=servers.database_url,
        var_dir=servers.work_dir / "var",
        jwt_private_key_path=servers.key_dir / "jwt_private.pem",
        jwt_public_key_path=servers.key_dir / "jwt_public.pem",
    )
    league = plan_league(LeagueSize(orgs=1, teams=1, players=args.players, days=args.days), seed=42)
    with httpx.Client(base_url=gateway, timeout=30) as client:
        report = seed_league_via_api(league, client, settings, concurrency=4)
    coach = report.access[league.clubs[0].teams[0].coach.email]
    player = report.access[league.clubs[0].teams[0].players[0].email]
    seeded = report.events["training.session_rpe.logged"]
    read_url = f"{gateway}/api/v1/training/rpe-logs?limit=50"
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    # the same session again and again: a benchmark of writes, not of the double-tap guard
    write_body = json.dumps({"session_date": yesterday, "rpe": 6, "duration_minutes": 60, "allow_duplicate": True})
    run = {"seconds": args.seconds, "connections": args.connections}

    wrk(f"{hello}/hello", seconds=1, connections=args.connections)  # warm both servers up
    wrk(read_url, seconds=1, connections=args.connections, headers=coach)
    hello_load = wrk(f"{hello}/hello", **run)
    read_load = wrk(read_url, **run, headers=coach)
    write_load = wrk(
        f"{gateway}/api/v1/training/rpe-logs",
        **run,
        headers={**player, "Content-Type": "application/json"},
        body=write_body,
    )
    half_rate = max(1.0, read_load["rps"] / 2)
    argv = [sys.executable, "-m", "bench.loadgen", read_url, "--rate", f"{half_rate:.1f}"]
    argv += ["--seconds", str(args.seconds), "--header", f"Authorization: {coach['Authorization']}"]
    at_half = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)

    read_ratio = read_load["rps"] / hello_load["rps"]
    write_ratio = write_load["rps"] / hello_load["rps"]
    result = {
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "seeded_rpe_logs": seeded,
        "hello_world": hello_load,
        "read_rpe_logs": read_load,
        "write_rpe_log": write_load,
        "read_vs_hello_ratio": round(read_ratio, 3),
        "write_vs_hello_ratio": round(write_ratio, 3),
        "read_at_half_saturation": {"rate_rps": round(half_rate, 1), **at_half},
        "targets": {
            "read_vs_hello_min_ratio": READ_TARGET_RATIO,
            "read_p99_at_half_saturation_max_ms": P99_TARGET_MS,
            "read_ratio_met": read_ratio >= READ_TARGET_RATIO,
            "read_p99_met": at_half["p99_ms"] < P99_TARGET_MS and at_half["errors"] == 0,
        },
    }
    rows = [
        ("GET /hello (hello-world, baseline)", hello_load["rps"], hello_load["p50_ms"], hello_load["p95_ms"],
         hello_load["p99_ms"], hello_load["errors"], "1.00"),
        ("GET /api/v1/training/rpe-logs (coach, 50/page)", read_load["rps"], read_load["p50_ms"],
         read_load["p95_ms"], read_load["p99_ms"], read_load["errors"], f"{read_ratio:.2f}"),
        ("POST /api/v1/training/rpe-logs (+ outbox)", write_load["rps"], write_load["p50_ms"],
         write_load["p95_ms"], write_load["p99_ms"], write_load["errors"], f"{write_ratio:.2f}"),
        (f"GET rpe-logs open loop at {half_rate:.0f} req/s (half)", at_half["achieved_rps"], at_half["p50_ms"],
         at_half["p95_ms"], at_half["p99_ms"], at_half["errors"], ""),
    ]  # fmt: skip
    header = ("endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "vs hello")
    print_table(f"api ({args.connections} connections, {args.seconds} s each, {seeded} logs seeded)", header, rows)
    print(
        f"  targets: read ≥ {READ_TARGET_RATIO:.0%} of hello-world: {verdict(result['targets']['read_ratio_met'])}; "
        f"p99 < {P99_TARGET_MS:.0f} ms at half saturation: {verdict(result['targets']['read_p99_met'])}"
    )
    write_result("api", result)
    return result


if __name__ == "__main__":
    main()
