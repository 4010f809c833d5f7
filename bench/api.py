"""The club API under load, against a hello-world FastAPI app served the same way.

Gateway and hello-world each run in their own uvicorn process (one worker, as ``hub serve`` runs them), the relay
alongside as ``make up`` runs it; wrk drives closed-loop load at a fixed number of connections from its own process.
Then the DB read endpoint is held at half its saturation rate by an open-loop generator for the p99 that a user sees
on a busy but not overloaded server.

Writes are spread as a league's evening spreads them: each request is the next seeded player logging their own
session, for one of the last days, in turn (``_write_posts``), so requests do not queue on one player-day's lock;
the bare insert writes the same player's row for the same day (the player from ``X-Bench-Player``).

    python -m bench api [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
import jwt

from bench.common import infra, print_table, quick, stop_process, uvicorn_server, verdict, wrk
from bench.results import write_result
from hub.league import LeagueSize, plan_league
from hub.league_seed import seed_league_via_api
from hub.settings import RuntimeSettings
from operational.users.config import UsersSettings

READ_VS_BARE_TARGET = 0.6
READ_VS_HELLO_TARGET = 0.25
WRITE_VS_BARE_TARGET = 0.6
P99_TARGET_MS = 25.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--seconds", type=int, default=2 if quick() else 10, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--players", type=int, default=5 if quick() else 25, help="players in the seeded team")
    parser.add_argument("--days", type=int, default=7 if quick() else 56, help="days of RPE logs seeded")
    workers = "uvicorn workers of every server [default: HUB_API_WORKERS, or one per core]"
    parser.add_argument("--workers", type=int, default=RuntimeSettings().api_worker_count, help=workers)
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
                uvicorn_server("operational.gateway:create_app", env, workers=args.workers) as gateway,
                uvicorn_server("bench.hello_app:create_app", env, workers=args.workers) as hello,
            ):
                league, coach, players, seeded = _seed(args, servers, gateway)
                with uvicorn_server(
                    "bench.bare_app:create_app", {**env, **_bare_scope(coach, players)}, workers=args.workers
                ) as bare:
                    return _measure(args, gateway, hello, bare, coach, players, seeded)
        finally:
            stop_process(relay)


def _seed(args, servers, gateway: str):
    settings = UsersSettings(
        database_url=servers.database_url,
        var_dir=servers.work_dir / "var",
        jwt_private_key_path=servers.key_dir / "jwt_private.pem",
        jwt_public_key_path=servers.key_dir / "jwt_public.pem",
    )
    league = plan_league(LeagueSize(orgs=1, teams=1, players=args.players, days=args.days), seed=42)
    with httpx.Client(base_url=gateway, timeout=30) as client:
        report = seed_league_via_api(league, client, settings, concurrency=4)
    team = league.clubs[0].teams[0]
    coach = report.access[team.coach.email]
    players = [report.access[p.email] for p in team.players]
    return league, coach, players, report.events["training.session_rpe.logged"]


def _claims(headers: dict[str, str]) -> dict:
    token = headers["Authorization"].removeprefix("Bearer ")
    return jwt.decode(token, options={"verify_signature": False})


def _bare_scope(coach: dict[str, str], players: list[dict[str, str]]) -> dict[str, str]:
    """What the bare app reads (the coach's scope) and whom it writes for (each player under their team), from the
    tokens."""
    coach_claims = _claims(coach)
    own = [coach_claims["sub"], *coach_claims.get("guardian_of", [])]
    teams = [(claims["sub"], claims["team_ids"][0]) for claims in map(_claims, players)]
    return {
        "HUB_BENCH_BARE_ORG_ID": coach_claims["org_id"],
        "HUB_BENCH_BARE_OWN_IDS": ",".join(own),
        "HUB_BENCH_BARE_TEAM_IDS": ",".join(coach_claims["team_ids"]),
        "HUB_BENCH_BARE_PLAYERS": ",".join(f"{player}:{team}" for player, team in teams),
    }


WRITE_DAYS = 28


def _write_posts(players: list[dict[str, str]], days: int) -> list[tuple[dict[str, str], str]]:
    """A league's evening: the players log their own sessions, each request the next player (then the next day, up
    to ``days`` back from yesterday), so consecutive requests hold different player-days' locks. Each POST carries
    the player's token and, for the bare app, their id in ``X-Bench-Player``."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    posts = []
    for day in range(days):
        for n, player in enumerate(players):
            body = {
                "session_date": (yesterday - timedelta(days=day)).isoformat(),
                "rpe": 3 + (n + day) % 7,
                "duration_minutes": 45 + 15 * ((n + day) % 4),
                "allow_duplicate": True,  # a run revisits each player-day: a benchmark of writes, not of that guard
            }
            posts.append(({**player, "X-Bench-Player": _claims(player)["sub"]}, json.dumps(body)))
    return posts


def _measure(args, gateway: str, hello: str, bare: str, coach: dict, players: list[dict], seeded: int) -> dict:
    read_url = f"{gateway}/api/v1/training/rpe-logs?limit=50"
    bare_url = f"{bare}/training/rpe-logs"
    posts = _write_posts(players, min(WRITE_DAYS, args.days))
    run = {"seconds": args.seconds, "connections": args.connections}
    post = {"Content-Type": "application/json"}

    _check_same_page(read_url, bare_url, coach)
    for url, headers in ((f"{hello}/hello", None), (bare_url, None), (read_url, coach)):  # warm every server up
        wrk(url, seconds=1, connections=args.connections, headers=headers)
    hello_load = wrk(f"{hello}/hello", **run)
    bare_read = wrk(bare_url, **run)
    read_load = wrk(read_url, **run, headers=coach)
    bare_write = wrk(bare_url, **run, headers=post, posts=posts)
    write_load = wrk(f"{gateway}/api/v1/training/rpe-logs", **run, headers=post, posts=posts)
    half_rate = max(1.0, read_load["rps"] / 2)
    argv = [sys.executable, "-m", "bench.loadgen", read_url, "--rate", f"{half_rate:.1f}"]
    argv += ["--seconds", str(args.seconds), "--header", f"Authorization: {coach['Authorization']}"]
    at_half = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)

    read_vs_bare = read_load["rps"] / bare_read["rps"]
    read_vs_hello = read_load["rps"] / hello_load["rps"]
    write_vs_bare = write_load["rps"] / bare_write["rps"]
    targets = {
        "read_vs_bare": {"min_ratio": READ_VS_BARE_TARGET, "target_met": read_vs_bare >= READ_VS_BARE_TARGET},
        "read_vs_hello": {"min_ratio": READ_VS_HELLO_TARGET, "target_met": read_vs_hello >= READ_VS_HELLO_TARGET},
        "write_vs_bare": {"min_ratio": WRITE_VS_BARE_TARGET, "target_met": write_vs_bare >= WRITE_VS_BARE_TARGET},
        "p99_at_half": {
            "max_ms": P99_TARGET_MS,
            "target_met": at_half["p99_ms"] < P99_TARGET_MS and at_half["errors"] == 0,
        },
    }
    result = {
        "workers": args.workers,
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "seeded_rpe_logs": seeded,
        "write_player_days": len(posts),
        "hello_world": hello_load,
        "bare_read": bare_read,
        "read_rpe_logs": read_load,
        "bare_write": bare_write,
        "write_rpe_log": write_load,
        "read_vs_bare_ratio": round(read_vs_bare, 3),
        "read_vs_hello_ratio": round(read_vs_hello, 3),
        "write_vs_bare_ratio": round(write_vs_bare, 3),
        "read_at_half_saturation": {"rate_rps": round(half_rate, 1), **at_half},
        "targets": targets,
        "target_met": all(t["target_met"] for t in targets.values()),
    }
    rows = [
        ("GET /hello (hello-world)", hello_load, ""),
        ("GET bare read (psycopg, same SQL and JSON)", bare_read, ""),
        ("GET /api/v1/training/rpe-logs (coach, 50/page)", read_load, f"{read_vs_bare:.2f} / {read_vs_hello:.3f}"),
        ("POST bare write (+ outbox)", bare_write, ""),
        ("POST /api/v1/training/rpe-logs (+ outbox)", write_load, f"{write_vs_bare:.2f}"),
        (f"GET rpe-logs open loop at {half_rate:.0f} req/s (half)", {**at_half, "rps": at_half["achieved_rps"]}, ""),
    ]
    header = ("endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "vs bare / hello")
    table = [(name, m["rps"], m["p50_ms"], m["p95_ms"], m["p99_ms"], m["errors"], note) for name, m, note in rows]
    title = f"api ({args.workers} workers each, {args.connections} connections, {args.seconds} s each, {seeded} logs)"
    print_table(title, header, table)
    print(
        f"  targets: read ≥ {READ_VS_BARE_TARGET:.0%} of bare ({read_vs_bare:.2f}): "
        f"{verdict(targets['read_vs_bare']['target_met'])}; "
        f"read ≥ {READ_VS_HELLO_TARGET:.0%} of hello-world ({read_vs_hello:.2f}): "
        f"{verdict(targets['read_vs_hello']['target_met'])}; "
        f"write ≥ {WRITE_VS_BARE_TARGET:.0%} of bare ({write_vs_bare:.2f}): "
        f"{verdict(targets['write_vs_bare']['target_met'])}; "
        f"p99 < {P99_TARGET_MS:.0f} ms at half saturation ({at_half['p99_ms']:.1f} ms): "
        f"{verdict(targets['p99_at_half']['target_met'])}"
    )
    write_result("api", result)
    return result


def _check_same_page(read_url: str, bare_url: str, coach: dict[str, str]) -> None:
    """The baseline answers with the page the API gives the coach, or the comparison means nothing."""
    real = httpx.get(read_url, headers=coach, timeout=30).json()
    plain = httpx.get(bare_url, timeout=30).json()
    if (real["total"], [i["id"] for i in real["items"]]) != (plain["total"], [i["id"] for i in plain["items"]]):
        raise RuntimeError("the bare app's page differs from the API's: fix bench/bare_app.py")
    if set(real["items"][0]) != set(plain["items"][0]):
        raise RuntimeError("the bare app's items have other fields than the API's")


if __name__ == "__main__":
    main()
