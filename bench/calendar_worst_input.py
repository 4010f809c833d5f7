"""The worst input a user can send the calendar, while ``/healthz`` is timed alongside: the server must keep answering.

Recurrence rules are user input, and expanding them is CPU work on the one event loop that answers everyone. A coach
sends, back to back from ``--clients`` connections, the heaviest requests the API accepts or refuses:

- a rule that would repeat every second (``FREQ=SECONDLY;COUNT=100000``) and one that never matches
  (``FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30``): both refused;
- a daily series without an end (stored with two years of occurrences, 732), checked against the team's other daily
  series, and the same as a dry run (``POST /events:check``); every ``--rink-every``-th one also books a rink for each
  occurrence;
- an answer for the last occurrence of such a series (two years ahead) and for one ten years ahead;
- a "this and following" split of a daily series, and a 400-day listing of the team's occurrences.

Meanwhile a separate client asks for ``/healthz`` every 10 ms. The baseline is ``/healthz`` of the same server, idle,
in the same run. Target: p99 of ``/healthz`` under the worst input < 50 ms.

    python -m bench calendar_worst_input [--seconds 20 --clients 2 --series 4]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from bench.common import infra, percentile, print_table, quick, uvicorn_server, verdict
from bench.results import write_result

ZONE = "Europe/Stockholm"
TARGET_P99_MS = 50.0
PROBE_EVERY_S = 0.01
EVENTS = "/api/v1/calendar/events"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench calendar_worst_input")
    parser.add_argument("--seconds", type=float, default=4 if quick() else 20, help="How long the worst input runs")
    parser.add_argument("--clients", type=int, default=2, help="Connections sending it, back to back")
    parser.add_argument("--series", type=int, default=2 if quick() else 4, help="Daily series the team starts with")
    parser.add_argument("--rink-every", type=int, default=4, help="Every n-th new series books a rink")
    return parser.parse_args(argv)


def _club(database_url: str, key_dir):
    """A club with one team, its coach, a player and a club admin (through the users service); their headers."""
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
            org = await users.create_organization(session, name="Worst Input", slug="worst-input", time_zone=ZONE)
            team = await users.create_team(session, org.id, name="U16", season="2026-27")
            people = {}
            for role, org_roles in (("coach", []), ("player", []), ("admin", ["club_admin"])):
                user = await users.create_user(
                    session,
                    settings,
                    org.id,
                    email=f"{role}@worst.example.org",
                    full_name=role.title(),
                    password="bench-password",
                    org_roles=org_roles,
                )
                if role != "admin":
                    await users.add_membership(session, user, team, role)
                people[role] = await users.principal_for(session, user)
        await engine.dispose()
        return team.id, people

    team_id, people = asyncio.run(build())
    headers = {}
    for role, principal in people.items():
        token = issue_access_token(
            principal,
            private_key_pem=settings.private_key_pem,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            minutes=120,
        )
        headers[role] = {"Authorization": f"Bearer {token}"}
    return str(team_id), headers


def _daily(team_id: str, first: date, hour: int, **extra) -> dict:
    starts = datetime(first.year, first.month, first.day, hour, tzinfo=ZoneInfo(ZONE))
    return {
        "kind": "practice",
        "title": f"Daily {hour}:00",
        "team_id": team_id,
        "starts_at": starts.isoformat(),
        "duration_minutes": 90,
        "time_zone": ZONE,
        "rrule": "FREQ=DAILY",
        **extra,
    }


class Attacker:
    """The worst input, request after request; what each kind of request took and answered."""

    def __init__(self, url: str, team_id: str, headers: dict, first: date, rinks: list[str], rink_every: int):
        self.url, self.team_id, self.headers, self.first = url, team_id, headers, first
        self.rinks, self.rink_every = rinks, rink_every
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, set[int]] = defaultdict(set)
        self.series: list[dict] = []
        self._hours = itertools.count(6)
        self._lock = threading.Lock()

    def _send(self, client: httpx.Client, name: str, method: str, path: str, **kwargs) -> httpx.Response:
        started = time.perf_counter()
        response = client.request(method, path, **kwargs)
        with self._lock:
            self.timings[name].append((time.perf_counter() - started) * 1000)
            self.statuses[name].add(response.status_code)
        return response

    def create_daily(self, client: httpx.Client, name: str = "daily series, 732 occurrences") -> None:
        with self._lock:
            hour = next(self._hours) % 18 + 5
            number = len(self.series) + 1
        extra = {}
        if self.rinks and number % self.rink_every == 0:
            extra["resource_id"] = self.rinks[(number // self.rink_every - 1) % len(self.rinks)]
            name = "daily series on a rink (732 bookings)"
        response = self._send(client, name, "POST", EVENTS, json=_daily(self.team_id, self.first, hour, **extra))
        if response.status_code == 201:
            with self._lock:
                self.series.append(response.json()["event"])

    def round(self, client: httpx.Client) -> None:
        player = self.headers["player"]
        body = _daily(self.team_id, self.first, 17)
        self._send(
            client, "FREQ=SECONDLY;COUNT=100000", "POST", EVENTS, json={**body, "rrule": "FREQ=SECONDLY;COUNT=100000"}
        )
        never = {**body, "rrule": "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"}
        self._send(client, "a rule that never matches", "POST", EVENTS, json=never)
        self.create_daily(client)
        self._send(client, "dry run of a daily series", "POST", EVENTS + ":check", json=body)
        series = self.series[-1]
        first = datetime.fromisoformat(series["starts_local"]).replace(tzinfo=ZoneInfo(ZONE))
        last = first.replace(year=first.year + 2)
        for label, when in (
            ("RSVP two years ahead", last),
            ("RSVP ten years ahead", last.replace(year=first.year + 10)),
        ):
            path = f"{EVENTS}/{series['id']}/occurrences/{when.astimezone(ZoneInfo('UTC')):%Y-%m-%dT%H:%M:%SZ}/rsvp"
            self._send(client, label, "PUT", path, json={"response": "going"}, headers=player)
        split_at = first + timedelta(days=400)
        path = f"{EVENTS}/{series['id']}/occurrences/{split_at.astimezone(ZoneInfo('UTC')):%Y-%m-%dT%H:%M:%SZ}"
        self._send(
            client, "split a daily series", "PATCH", path, params={"scope": "following"}, json={"title": "Later"}
        )
        window = {
            "from": first.isoformat(),
            "to": (first + timedelta(days=400)).isoformat(),
            "team_id": self.team_id,
            "limit": 500,
        }
        self._send(client, "400 days of the team, 500 a page", "GET", "/api/v1/calendar/occurrences", params=window)

    def run(self, stop: threading.Event) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers["coach"], timeout=120) as client:
            while not stop.is_set():
                self.round(client)


def _probe(url: str, stop: threading.Event, latencies: list[float]) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        next_at = time.perf_counter()
        while not stop.is_set():
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            next_at += PROBE_EVERY_S
            time.sleep(max(0.0, next_at - time.perf_counter()))


def _probed(url: str, seconds: float, work=None) -> list[float]:
    """``/healthz`` latencies (ms) for ``seconds``, while ``work(stop)`` runs in other threads."""
    stop, latencies = threading.Event(), []
    threads = [threading.Thread(target=_probe, args=(url, stop, latencies))]
    threads += [threading.Thread(target=w, args=(stop,)) for w in (work or [])]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return latencies


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    first = date.today() + timedelta(days=7)
    with infra() as s:
        team_id, headers = _club(s.database_url, s.key_dir)
        with uvicorn_server("operational.gateway:create_app", s.env) as url:
            with httpx.Client(base_url=url, timeout=120) as client:
                rinks = []
                for n in range(3):
                    rink = client.post(
                        "/api/v1/calendar/resources",
                        json={"name": f"Rink {n + 1}", "kind": "rink", "time_zone": ZONE},
                        headers=headers["admin"],
                    )
                    rink.raise_for_status()
                    rinks.append(rink.json()["id"])
                attacker = Attacker(url, team_id, headers, first, rinks, args.rink_every)
                with httpx.Client(base_url=url, headers=headers["coach"], timeout=120) as coach:
                    for _ in range(args.series):
                        attacker.create_daily(coach, "the team's first daily series")
            idle = _probed(url, min(5.0, args.seconds))
            loaded = _probed(url, args.seconds, [attacker.run] * args.clients)
    p99 = percentile(loaded, 99)
    figures = {
        "seconds": args.seconds,
        "clients": args.clients,
        "series_in_team": len(attacker.series),
        "healthz_idle_p50_ms": round(percentile(idle, 50), 2),
        "healthz_idle_p99_ms": round(percentile(idle, 99), 2),
        "healthz_loaded_p50_ms": round(percentile(loaded, 50), 2),
        "healthz_loaded_p99_ms": round(p99, 2),
        "healthz_loaded_max_ms": round(max(loaded), 2),
        "healthz_samples": len(loaded),
        "requests": {
            name: {
                "count": len(times),
                "p50_ms": round(percentile(times, 50), 1),
                "max_ms": round(max(times), 1),
                "statuses": sorted(attacker.statuses[name]),
            }
            for name, times in attacker.timings.items()
        },
        "target_p99_ms": TARGET_P99_MS,
        "target_met": p99 < TARGET_P99_MS,
    }
    print_table(
        f"calendar worst input: {args.clients} clients for {args.seconds:.0f} s, /healthz every "
        f"{PROBE_EVERY_S * 1000:.0f} ms",
        ("request", "count", "p50 ms", "max ms", "answered"),
        [("/healthz, idle (baseline)", len(idle), figures["healthz_idle_p50_ms"], round(max(idle), 1), "200")]
        + [
            (
                "/healthz, under the worst input",
                len(loaded),
                figures["healthz_loaded_p50_ms"],
                figures["healthz_loaded_max_ms"],
                "200",
            )
        ]
        + [
            (name, r["count"], r["p50_ms"], r["max_ms"], ",".join(map(str, r["statuses"])))
            for name, r in figures["requests"].items()
        ],
    )
    print(
        f"  /healthz p99: idle {figures['healthz_idle_p99_ms']} ms, "
        f"under the worst input {figures['healthz_loaded_p99_ms']} ms; "
        f"target < {TARGET_P99_MS:.0f} ms: {verdict(figures['target_met'])}"
    )
    write_result("calendar_worst_input", figures)
    return figures


if __name__ == "__main__":
    main()
