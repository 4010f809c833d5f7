"""`hub up`'s preparation, run as a child process: keys, migrations, streams and the demo club.

Migrating and seeding import every service (FastAPI, SQLAlchemy, the ORM models, the seeds) and Python keeps what it
imported for the life of the process. Done in a child, that memory goes back to the system when the child ends, and
``hub up``, which then only supervises, stays at a few tens of MiB instead of ~190 MiB for as long as the system runs.

    HUB_DATABASE_URL=… HUB_NATS_URL=… HUB_VAR_DIR=… python -m hub.prepare --stream-replicas 1

Prints one progress line per step (see :func:`hub.runtime.step`); exits 1 with the reason on stderr when a step fails.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from hub.errors import HubError, first_line
from hub.runtime import step


async def _ensure_streams(nats_url: str, replicas: int) -> None:
    from messaging import nats as hub_nats

    nc = await hub_nats.connect(nats_url, name="hub-up")
    try:
        await hub_nats.ensure_streams(nc.jetstream(), replicas=replicas)
    finally:
        await nc.close()


def prepare(database_url: str, nats_url: str, var_dir: Path, stream_replicas: int) -> None:
    """Keys, migrations, streams and the demo club (created on the first start only)."""
    from hub.seed import seed_demo_club
    from operational.kit.auth import generate_key_pair
    from operational.kit.migrations import upgrade_all
    from operational.users.config import UsersSettings

    with step("keys", str(var_dir / "keys")):
        generate_key_pair(var_dir / "keys")
    with step("migrations"):
        upgrade_all(database_url)
    with step("streams", "HUB_EVENTS, HUB_DEAD_LETTER"):
        asyncio.run(_ensure_streams(nats_url, stream_replicas))
    with step("demo club") as notes:
        users_settings = UsersSettings(database_url=database_url, nats_url=nats_url, var_dir=var_dir)
        result = asyncio.run(seed_demo_club(users_settings))
        notes.append(
            f"created {result.logins} logins and {result.rpe_logs} RPE logs"
            if result.created
            else "already there, kept as it is"
        )


def main(argv: list[str] | None = None) -> None:
    from hub.settings import RuntimeSettings

    parser = argparse.ArgumentParser(prog="python -m hub.prepare")
    parser.add_argument("--stream-replicas", type=int, default=1)
    args = parser.parse_args(argv)
    settings = RuntimeSettings()
    try:
        if not settings.external_database_url or not settings.external_nats_url:
            raise HubError("HUB_DATABASE_URL and HUB_NATS_URL must be set (hub up sets them for this step)")
        prepare(settings.external_database_url, settings.external_nats_url, settings.var_path, args.stream_replicas)
    except HubError as exc:
        sys.exit(f"error: {exc}")
    except Exception as exc:
        sys.exit(f"error: {exc.__class__.__name__}: {first_line(exc)}")


if __name__ == "__main__":
    main()
