"""A busy club's season in the calendar: how fast a coach's and a player's listings come back.

The club has ``--teams`` teams, each with four weekly practices and two weekly games over ``--weeks`` weeks (recurring
series, expanded per request in the club's time zone), created through the API. Then the coach's month
(``/occurrences?team_id=…``, one month) and a player's whole season (``/occurrences?player_id=…``, 500 per page) are
asked for again and again. The baseline is the same server's ``/healthz``: one request through this HTTP stack.

    python -m bench calendar_listing [--teams 10 --weeks 40 --requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from bench.common import infra, percentile, print_table, quick, uvicorn_server
from bench.results import write_result

ZONE = "Europe/Stockholm"
WEEKLY = (
    ("practice", "MO", 17),
    ("practice", "TU", 18),
    ("practice", "TH", 17),
    ("practice", "FR", 16),
    ("game", "SA", 13),
    ("game", "SU", 15),
)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench calendar_listing")
    parser.add_argument("--teams", type=int, default=2 if quick() else 10)
    parser.add_argument("--weeks", type=int, default=6 if quick() else 40)
    parser.add_argument("--requests", type=int, default=30 if quick() else 200)
    return parser.parse_args(argv)


def _club(database_url: str, key_dir, teams: int):
    """A club, its teams, a coach per team and a player per team (through the users service)."""
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    from operational.kit.auth import issue_access_token
    from operational.kit.db import session_factory, sqlalchemy_url
    from operational.users import service as users
    from operational.users.config import UsersSettings

    settings = UsersSettings(
        database_url=database_url,
        jwt_private_key_path=key_dir / "jwt_private.pem",
        jwt_public_key_path=key_dir / "jwt_public.pem",
        argon2_memory_kib=19 * 1024,
    )

    async def build():
        engine = create_async_engine(sqlalchemy_url(database_url), poolclass=NullPool)
        async with session_factory(engine)() as session, session.begin():
            org = await users.create_organization(session, name="Busy Club", slug="busy-club", time_zone=ZONE)
            people = []
            for n in range(teams):
                team = await users.create_team(session, org.id, name=f"Team {n + 1}", season="2026-27")
                coach = await users.create_user(
                    session,
                    settings,
                    org.id,
                    email=f"coach{n}@busy.example.org",
                    full_name=f"Coach {n}",
                    password="bench-password",
                )
                player = await users.create_user(
                    session,
                    settings,
                    org.id,
                    email=f"player{n}@busy.example.org",
                    full_name=f"Player {n}",
                    password="bench-password",
                )
                await users.add_membership(session, coach, team, "coach")
                await users.add_membership(session, player, team, "player")
                people.append(
                    (team.id, await users.principal_for(session, coach), await users.principal_for(session, player))
                )
        await engine.dispose()
        return people

    def token(principal) -> dict:
        jwt = issue_access_token(
            principal,
            private_key_pem=settings.private_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            minutes=120,
        )
        return {"Authorization": f"Bearer {jwt}"}

    return [(team_id, token(coach), token(player)) for team_id, coach, player in asyncio.run(build())]


def _timed(client: httpx.Client, url: str, headers: dict | None = None, params: dict | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url, headers=headers, params=params)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed * 1000


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    season_start = date(2026, 9, 7)  # a Monday
    with infra() as s:
        env = s.env
        teams = _club(s.database_url, s.key_dir, args.teams)
        with uvicorn_server("operational.gateway:create_app", env) as url, httpx.Client(base_url=url, timeout=30) as c:
            for team_id, coach, _ in teams:
                for kind, day, hour in WEEKLY:
                    offset = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(day)
                    first = datetime.combine(
                        season_start + timedelta(days=offset), datetime.min.time(), ZoneInfo(ZONE)
                    ).replace(hour=hour)
                    created = c.post(
                        "/api/v1/calendar/events",
                        headers=coach,
                        json={
                            "kind": kind,
                            "title": f"{kind} {day}",
                            "team_id": str(team_id),
                            "starts_at": first.isoformat(),
                            "duration_minutes": 90,
                            "time_zone": ZONE,
                            "rrule": f"FREQ=WEEKLY;BYDAY={day};COUNT={args.weeks}",
                        },
                    )
                    created.raise_for_status()
            occurrences = args.teams * len(WEEKLY) * args.weeks
            month = {
                "from": f"{season_start + timedelta(weeks=8)}T00:00:00+00:00",
                "to": f"{season_start + timedelta(weeks=12)}T00:00:00+00:00",
            }
            season = {
                "from": f"{season_start}T00:00:00+00:00",
                "to": f"{season_start + timedelta(weeks=args.weeks)}T00:00:00+00:00",
                "limit": 500,
            }
            health, coach_month, player_season = [], [], []
            for i in range(args.requests):
                team_id, coach, player = teams[i % len(teams)]
                health.append(_timed(c, "/healthz"))
                coach_month.append(_timed(c, "/api/v1/calendar/occurrences", coach, {**month, "team_id": str(team_id)}))
                player_season.append(_timed(c, "/api/v1/calendar/occurrences", player, season))
            sample = c.get("/api/v1/calendar/occurrences", headers=teams[0][2], params=season).json()
    figures = {
        "teams": args.teams,
        "weeks": args.weeks,
        "occurrences_in_club": occurrences,
        "player_season_items": len(sample["items"]),
        "healthz_p95_ms": round(percentile(health, 95), 2),
        "coach_month_p50_ms": round(percentile(coach_month, 50), 2),
        "coach_month_p95_ms": round(percentile(coach_month, 95), 2),
        "player_season_p50_ms": round(percentile(player_season, 50), 2),
        "player_season_p95_ms": round(percentile(player_season, 95), 2),
    }
    base = figures["healthz_p95_ms"]
    print_table(
        f"calendar listing: {args.teams} teams × {len(WEEKLY)} weekly series × {args.weeks} weeks = {occurrences}",
        ("request", "p50 ms", "p95 ms", "p95 vs /healthz"),
        [
            ("/healthz (baseline)", round(percentile(health, 50), 2), base, "1.0×"),
            (
                "coach: team's month",
                figures["coach_month_p50_ms"],
                figures["coach_month_p95_ms"],
                f"{figures['coach_month_p95_ms'] / base:.1f}×",
            ),
            (
                f"player: whole season ({figures['player_season_items']} items)",
                figures["player_season_p50_ms"],
                figures["player_season_p95_ms"],
                f"{figures['player_season_p95_ms'] / base:.1f}×",
            ),
        ],
    )
    write_result("calendar_listing", figures)
    return figures


if __name__ == "__main__":
    main()
