"""``hub seed --league``: plan a synthetic league and put it in, with a progress bar.

Where the system is comes from HUB_DATABASE_URL / HUB_NATS_URL, or else from the ``hub up`` that is running
(var/runtime.json), so `make up` in one terminal and `hub seed --league` in another just works.
"""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from hub.errors import HubError
from hub.league import LeagueSize, count_events, plan_league
from hub.league_seed import publish_league, seed_league_via_api
from hub.settings import RuntimeSettings


def _running_hub(settings: RuntimeSettings) -> dict:
    try:
        return json.loads((settings.var_path / "runtime.json").read_text())
    except (FileNotFoundError, ValueError):
        return {}


def seed_league(
    via: str, seed: int, orgs: int, teams: int, players: int, days: int, gateway_url: str | None, concurrency: int
) -> None:
    if via not in ("api", "nats"):
        raise HubError(f"--via must be 'api' or 'nats', not {via!r}")
    from hub.cli import _required_database_url, _required_nats_url

    settings = RuntimeSettings()
    running = _running_hub(settings)
    if not settings.external_nats_url and running.get("nats_url"):
        settings.nats_url = running["nats_url"]
    if not settings.external_database_url and running.get("database_url") and "***" not in running["database_url"]:
        settings.database_url = running["database_url"]
    league = plan_league(LeagueSize(orgs=orgs, teams=teams, players=players, days=days), seed=seed)
    started = time.monotonic()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        if via == "nats":
            nats_url = _required_nats_url(settings)
            task = bar.add_task("events → NATS", total=count_events(league))
            report = asyncio.run(publish_league(league, nats_url, progress=lambda n: bar.advance(task, n)))
        else:
            from operational.users.config import UsersSettings

            database_url = _required_database_url(settings)
            base_url = gateway_url or running.get("urls", {}).get("gateway")
            base_url = base_url or f"http://{settings.bind_host}:{settings.gateway_port}"
            users_settings = UsersSettings(database_url=database_url, var_dir=settings.var_path)
            rpe_total = sum(1 for _, a in league.activities() if type(a).__name__ == "RpeEntry")
            task = bar.add_task("RPE logs → API", total=rpe_total)
            with httpx.Client(base_url=base_url, timeout=30) as client:
                report = seed_league_via_api(
                    league, client, users_settings, concurrency=concurrency, progress=lambda n: bar.advance(task, n)
                )
    elapsed = time.monotonic() - started
    total = sum(report.events.values())
    typer.echo(
        f"league seed {seed} via {via}: {report.clubs} clubs, {report.teams} teams, {report.players} players, "
        f"{total} events in {elapsed:.1f} s ({total / elapsed:.0f}/s), {league.first_date} … {league.end_date}"
    )
    for kind, n in sorted(report.events.items()):
        typer.echo(f"  {kind:<34} {n}")
    for kind, n in sorted(report.skipped.items()):
        typer.echo(f"  not sent ({kind}: no API endpoint yet) {n}")
