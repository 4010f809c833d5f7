"""The ``hub`` command line.

Every failure is one line on stderr and a non-zero exit code: a person running ``hub`` should learn what is wrong
and what to do, never read a traceback.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError

from hub.components import (
    GATEWAY_FACTORY,
    PIPELINE_RUNNER,
    STATS_FACTORY,
    dashboards_script,
    module_available,
)
from hub.errors import HubError, check_database, check_nats, first_line
from hub.settings import RuntimeSettings

SERVER_STOP_GRACE_SECONDS = 2


def _fail(message: str) -> NoReturn:
    typer.echo(f"hub: error: {message}", err=True)
    sys.exit(1)


def _describe_invalid_settings(exc: ValidationError) -> str:
    problems = [f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in exc.errors()]
    return "invalid setting " + "; ".join(problems)


class _HubTyper(typer.Typer):
    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except HubError as exc:
            _fail(str(exc))
        except ValidationError as exc:
            _fail(_describe_invalid_settings(exc))
        except Exception as exc:
            _fail(f"{exc.__class__.__name__}: {first_line(exc)}")


app = _HubTyper(
    help="Hockey Hub: run the club platform, its event pipeline and analytics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
from hub.serve_services import ServeGroup  # noqa: E402 - beside the group it builds

serve_app = typer.Typer(
    cls=ServeGroup,
    help="Run one server in the foreground: the gateway (every service), one service's API alone, the stats API or "
    "the dashboards.",
    no_args_is_help=True,
)
pipeline_app = typer.Typer(
    help="The event pipeline (NATS -> warehouse -> dbt -> serving snapshot).", no_args_is_help=True
)
app.add_typer(serve_app, name="serve")
app.add_typer(pipeline_app, name="pipeline")


from hub.contracts_cli import app as contracts_app  # noqa: E402 - after the app it joins

app.add_typer(contracts_app, name="contracts")
from hub.mail_cli import mail as mail_command  # noqa: E402 - after the app it joins

app.command("mail")(mail_command)
events_app = typer.Typer(help="Domain events in the outboxes and on NATS.", no_args_is_help=True)
app.add_typer(events_app, name="events")


def _required_database_url(settings: RuntimeSettings) -> str:
    database_url = settings.external_database_url
    if not database_url:
        raise HubError(
            "HUB_DATABASE_URL is not set; `hub up` runs an embedded database, or set "
            "HUB_DATABASE_URL=postgresql://user:password@host:5432/hockey_hub to use this command on its own"
        )
    check_database(database_url)
    return database_url


def _required_nats_url(settings: RuntimeSettings) -> str:
    nats_url = settings.external_nats_url
    if not nats_url:
        raise HubError("HUB_NATS_URL is not set; `hub up` runs an embedded NATS, or set HUB_NATS_URL=nats://host:4222")
    asyncio.run(check_nats(nats_url))
    return nats_url


@app.command()
def up(
    dagster_ui: bool = typer.Option(
        None,
        "--dagster-ui",
        help="Also run the Dagster webserver (assets, checks and recorded runs) [default: HUB_DAGSTER_UI or off]",
    ),
) -> None:
    """Start everything (embedded Postgres and NATS unless configured), seed the demo club, print the URLs."""
    from hub.runtime import up as run_up

    settings = RuntimeSettings()
    if dagster_ui is not None:
        settings = settings.model_copy(update={"dagster_ui": dagster_ui})
    raise typer.Exit(run_up(settings))


@app.command()
def migrate() -> None:
    """Upgrade every service's schema to the latest migration."""
    from operational.kit.migrations import upgrade_all

    migrated = upgrade_all(_required_database_url(RuntimeSettings()))
    typer.echo(f"migrated: {', '.join(migrated)}")


@app.command()
def keys() -> None:
    """Create the token signing key pair under HUB_VAR_DIR/keys unless it exists."""
    from operational.kit.auth import generate_key_pair

    private_path, public_path = generate_key_pair(RuntimeSettings().var_path / "keys")
    typer.echo(f"signing keys: {private_path}, {public_path}")


@app.command()
def seed(
    league: bool = typer.Option(False, "--league", help="Seed a synthetic league instead of the demo club."),
    via: str = typer.Option("nats", "--via", help="League only: 'api' (HTTP, through the outbox) or 'nats'."),
    random_seed: int = typer.Option(1, "--seed", help="League only: the same seed gives the same league."),
    orgs: int = typer.Option(1, "--orgs", min=1, help="League only: clubs."),
    teams: int = typer.Option(2, "--teams", min=1, help="League only: teams per club."),
    players: int = typer.Option(20, "--players", min=1, help="League only: players per team."),
    days: int = typer.Option(28, "--days", min=1, max=365, help="League only: days of data, up to yesterday."),
    gateway_url: str = typer.Option(
        None, "--gateway-url", help="League via api: the gateway [default: var/runtime.json or HUB_GATEWAY_PORT]"
    ),
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=64, help="League via api: requests in flight."),
) -> None:
    """Create the demo club (Northside Hockey Club) with its logins and six weeks of RPE; skips an existing one.

    With --league: a deterministic synthetic league (memberships, daily session RPE with rest days, missed days and
    injuries, wellness, physical tests), through the public API or straight onto NATS as contract events."""
    if league:
        from hub.league_cli import seed_league

        seed_league(via, random_seed, orgs, teams, players, days, gateway_url, concurrency)
        return
    from hub.seed import CLUB_NAME, seed_demo_club
    from operational.users.config import UsersSettings

    database_url = _required_database_url(RuntimeSettings())
    result = asyncio.run(seed_demo_club(UsersSettings(database_url=database_url)))
    if result.created:
        typer.echo(
            f"seeded {CLUB_NAME}: {result.logins} logins, {result.rpe_logs} RPE logs, "
            f"{result.health_problems} health problems"
        )
    else:
        typer.echo(f"{CLUB_NAME} already exists; nothing seeded")


@app.command()
def worker() -> None:
    """Relay every service's outbox to NATS, run the services' consumers and periodic jobs, until SIGTERM or Ctrl-C."""
    from hub.ending import end_process
    from hub.worker import run_worker
    from operational.kit.config import HubSettings

    settings = RuntimeSettings()
    database_url, nats_url = _required_database_url(settings), _required_nats_url(settings)
    asyncio.run(run_worker(HubSettings(database_url=database_url, nats_url=nats_url)))
    end_process(0)


# the worker's earlier name, kept for scripts that start it so
app.command("relay", hidden=True, help="The same as `hub worker`.")(worker)


@events_app.command("replay")
def events_replay(
    since: datetime = typer.Option(
        ..., "--since", help="Re-publish events sent at or after this time (ISO 8601; UTC when no offset is given)."
    ),
) -> None:
    """Re-publish events the outboxes already sent (e.g. after NATS lost acknowledged writes in a crash).

    Duplicates are harmless: JetStream drops those it still holds, and every consumer skips events it has seen."""
    from operational.kit.config import HubSettings
    from operational.worker import replay_outboxes

    settings = RuntimeSettings()
    database_url, nats_url = _required_database_url(settings), _required_nats_url(settings)
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    count = asyncio.run(replay_outboxes(HubSettings(database_url=database_url, nats_url=nats_url), since))
    typer.echo(f"re-published {count} events sent since {since.isoformat()}")


@events_app.command("dead-letters")
def events_dead_letters(
    ids: list[int] = typer.Argument(None, help="Dead-letter ids (the first column of the list); all when omitted."),
    do_replay: bool = typer.Option(
        False, "--replay", help="Publish them again on their original subjects (after a fix), and remove them."
    ),
) -> None:
    """List the messages consumers gave up on (malformed, unknown version, handler failing): id, time, consumer,
    subject and reason; or replay them.

    Uses HUB_NATS_URL, or the NATS of the `hub up` running from HUB_VAR_DIR."""
    from hub.dead_letters_cli import running_nats_url, show_or_replay

    settings = RuntimeSettings()
    nats_url = settings.external_nats_url or running_nats_url(settings.var_path)
    if not nats_url:
        raise HubError("HUB_NATS_URL is not set and `hub up` is not running here; start it, or set HUB_NATS_URL")
    asyncio.run(check_nats(nats_url))
    show_or_replay(nats_url, do_replay=do_replay, ids=ids or [], say=typer.echo)


@app.command("backup")
def backup_command(
    archive: Path = typer.Argument(..., help="The archive to write (a new file, e.g. hockey-hub-2026-11-30.tar.gz)."),
) -> None:
    """Write one archive of everything: every service's database, the keys under var/keys, the medical documents
    and the warehouse. Safe while `hub up` runs."""
    from hub.backup import backup

    settings = RuntimeSettings()
    typer.echo(f"backing up {settings.var_path} to {archive}")
    backup(settings, archive, typer.echo)
    typer.echo(f"backup written: {archive} (readable by you only: it holds the keys; keep it as safe as var/keys)")


@app.command("restore")
def restore_command(
    archive: Path = typer.Argument(..., help="An archive `hub backup` wrote."),
) -> None:
    """Bring a fresh HUB_VAR_DIR (and database) back to the state in a backup; then start it with `hub up`."""
    from hub.backup import restore

    settings = RuntimeSettings()
    typer.echo(f"restoring {archive} into {settings.var_path}")
    manifest = restore(settings, archive, typer.echo)
    typer.echo(f"restored the backup of {manifest['created_at']}; start it with `hub up`")


WORKERS_OPTION = typer.Option(
    None, min=1, help="Worker processes [default: HUB_API_WORKERS, or one per core]", show_default=False
)


@serve_app.command("gateway")
def serve_gateway(
    host: str = typer.Option(None, help="Address to listen on [default: HUB_BIND_HOST or 127.0.0.1]"),
    port: int = typer.Option(None, help="Port [default: HUB_GATEWAY_PORT or 8700]"),
    workers: int = WORKERS_OPTION,
) -> None:
    """All operational services in one API (docs at /docs)."""
    _serve_asgi(
        GATEWAY_FACTORY, host, port, default_port=RuntimeSettings().gateway_port, workers=workers, on_database=True
    )


@serve_app.command("stats")
def serve_stats(
    host: str = typer.Option(None, help="Address to listen on [default: HUB_BIND_HOST or 127.0.0.1]"),
    port: int = typer.Option(None, help="Port [default: HUB_STATS_PORT or 8701]"),
) -> None:
    """The read-only stats API over the latest serving snapshot."""
    if not module_available(STATS_FACTORY.split(":")[0]):
        raise HubError("the stats API (operational.stats.app) is not available in this checkout")
    _serve_asgi(STATS_FACTORY, host, port, default_port=RuntimeSettings().stats_port)


def _serve_asgi(
    factory: str,
    host: str | None,
    port: int | None,
    *,
    default_port: int,
    workers: int | None = 1,
    on_database: bool = False,
) -> None:
    """Serve ``factory`` with uvicorn; ``workers`` None: as many worker processes as ``HUB_API_WORKERS`` says.
    ``on_database``: an API on the operational database, whose connections must fit in it (HubError otherwise)."""
    import uvicorn

    from hub.serve_workers import worker_factory

    workers = workers or RuntimeSettings().api_worker_count
    if on_database:
        _check_serve_budget(RuntimeSettings(), workers)
    if workers > 1:
        # every worker is a process of its own that builds the app from an import string, and dies with this one
        factory = worker_factory(factory)
    # proxy_headers=False: uvicorn would otherwise take X-Forwarded-For from any loopback peer as the client's
    # address; the services decide whom to believe themselves (HUB_TRUSTED_PROXIES, the dashboards' proxy secret).
    uvicorn.run(
        factory,
        factory=True,
        host=host or RuntimeSettings().bind_host,
        port=port or default_port,
        workers=workers,
        access_log=False,
        proxy_headers=False,
        # a stop gives requests in flight this long, then closes them, so the server is gone within 5 s of SIGTERM
        timeout_graceful_shutdown=SERVER_STOP_GRACE_SECONDS,
    )


def _check_serve_budget(settings: RuntimeSettings, workers: int) -> None:
    """Refuse to serve when this server's ``workers`` processes, the worker and the pipeline would need more
    connections than the database allows. A database not reachable yet is not refused: the API starts and reports
    it as not ready (/readyz) until it is."""
    import psycopg

    from hub.connections import check_budget, system_budget

    try:
        budget = system_budget(settings, api_processes=workers, database_url=settings.database_url)
        check_budget(settings.database_url, budget)
    except psycopg.ProgrammingError:  # not a connection string
        check_database(settings.database_url)  # says what a database URL looks like
        raise
    except psycopg.OperationalError as exc:
        typer.echo(f"hub: warning: connection budget not checked, database not reachable: {first_line(exc)}", err=True)


@serve_app.command("dashboards")
def serve_dashboards(
    host: str = typer.Option(None, help="Address to listen on [default: HUB_BIND_HOST or 127.0.0.1]"),
    port: int = typer.Option(None, help="Port [default: HUB_DASHBOARDS_PORT or 8702]"),
) -> None:
    """The Streamlit dashboards (reads HUB_GATEWAY_URL and HUB_STATS_URL)."""
    script = dashboards_script()
    if script is None:
        raise HubError("the dashboards (dashboards/app.py) are not available in this checkout")
    settings = RuntimeSettings()
    argv = [sys.executable, "-m", "streamlit", "run", str(script)]
    argv += ["--server.address", host or settings.bind_host, "--server.port", str(port or settings.dashboards_port)]
    argv += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    sys.stdout.flush()
    os.execv(sys.executable, argv)  # the same process (and pid) becomes Streamlit


@app.command("sql")
def sql_command(
    command: str = typer.Option(None, "-c", "--command", help="Run this SQL, print the result and exit."),
    output_format: str = typer.Option("table", "--format", help="table or csv"),
) -> None:
    """SQL on the current serving snapshot of the marts, read-only (an interactive shell without -c).

    The snapshot of the moment stays open, and on disk, until you quit, however many newer ones the pipeline
    publishes; its stable path for other tools is <serving dir>/current.duckdb."""
    from hub.analyst import sql
    from warehouse.config import WarehouseSettings

    sql(WarehouseSettings(), command, output_format)


@app.command("docs")
def docs_command(
    host: str = typer.Option("127.0.0.1", help="Address to serve on"),
    port: int = typer.Option(0, help="Port [default: a free one]"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the page, or only write it"),
) -> None:
    """Generate the dbt documentation of the warehouse (models, columns, lineage) and serve it, offline."""
    from hub.analyst import generate_docs, serve_docs
    from warehouse.config import WarehouseSettings

    settings = WarehouseSettings()
    page = generate_docs(settings, settings.var_dir.absolute() / "docs")
    if not serve:
        typer.echo(f"docs: {page}")
        return
    serve_docs(page, host, port, ready=lambda url: typer.echo(f"docs: {url} (Ctrl-C to stop)"))


@app.command("reference")
def reference_command(
    check: bool = typer.Option(False, "--check", help="Fail if docs/api.md is out of date."),
) -> None:
    """Write docs/api.md: every endpoint of the club API and the stats API, from their OpenAPI documents."""
    from hub import reference

    if check:
        if not reference.is_current():
            raise HubError("docs/api.md is out of date; run `hub reference`")
        typer.echo("docs/api.md is current")
        return
    typer.echo(f"wrote {reference.write()}")


@pipeline_app.command("run")
def pipeline_run() -> None:
    """Run the pipeline loop: ingest events, build the marts, publish serving snapshots."""
    if not module_available(PIPELINE_RUNNER):
        raise HubError(f"the pipeline runner ({PIPELINE_RUNNER}) is not available in this checkout")
    from hub.ending import end_process

    # imported, not run as __main__: the Great Expectations check's child process imports the parent's __main__
    # module when it starts (multiprocessing's spawn), and `hub` keeps it from importing the whole pipeline
    sys.argv = [PIPELINE_RUNNER]
    importlib.import_module(PIPELINE_RUNNER).main()
    end_process(0)


@app.command("compose")
def compose_command(
    check: bool = typer.Option(
        False, "--check", help="Fail if docker-compose.yml or deploy/nginx.conf is out of date."
    ),
) -> None:
    """Write docker-compose.yml and deploy/nginx.conf from the service registry: one container per service with an
    API behind an nginx proxy, a three-server NATS cluster, the worker, the dashboards and Dagster."""
    from hub import compose

    if check:
        stale = compose.out_of_date()
        if stale:
            raise HubError(f"{', '.join(path.name for path in stale)} out of date; run `hub compose`")
        typer.echo("docker-compose.yml and deploy/nginx.conf are current")
        return
    for path in compose.write():
        typer.echo(f"wrote {path}")
