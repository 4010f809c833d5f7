"""``hub relay``: one process publishing every service's outbox to NATS JetStream until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Table

from hub.components import RELAY_READY_MARKER
from operational.calendar import consumers as calendar_consumers
from operational.kit import nats as hub_nats
from operational.kit.config import HubSettings
from operational.kit.db import create_engine
from operational.kit.idempotency import purge_expired as purge_expired_idempotency_keys
from operational.kit.migrations import SERVICES_WITH_MIGRATIONS
from operational.kit.relay import OutboxRelay
from operational.training.consumers import TrainingConsumer
from operational.users import housekeeping as users_housekeeping


def service_outboxes() -> list[Table]:
    """The outbox table of every service that has one (the services with migrations own a schema)."""
    tables = []
    for service in SERVICES_WITH_MIGRATIONS:
        models = importlib.import_module(f"operational.{service}.models")
        outbox = getattr(models, "outbox", None)
        if outbox is not None:
            tables.append(outbox.table)
    return tables


def _say(line: str) -> None:
    print(line, flush=True)


async def run_relays(settings: HubSettings, *, announce: Callable[[str], None] = _say) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    nc = await hub_nats.connect(settings.nats_url, name="hub-relay")
    js = nc.jetstream()
    await hub_nats.ensure_streams(js)
    engine = create_engine(settings.database_url, pool_size=4)  # relays, consumers, housekeeping
    tables = service_outboxes()
    relays = [
        OutboxRelay(
            engine=engine,
            database_url=settings.database_url,
            table=table,
            js=js,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
            retention_days=settings.outbox_retention_days,
        )
        for table in tables
    ]
    outboxes = ", ".join(f"{table.schema}.{table.name}" for table in tables)
    announce(f"{RELAY_READY_MARKER}: publishing {outboxes} to {settings.nats_url}")
    try:
        # the relay process is also where background work runs: scheduled housekeeping and the services' read-model
        # consumers (rosters, availability) — one background process, however many API replicas serve requests
        training_consumer = TrainingConsumer(js, engine, max_deliver=settings.consumer_max_deliver)
        await asyncio.gather(
            *(relay.run(stop) for relay in relays),
            users_housekeeping.run_periodically(engine, stop),
            _hourly(purge_expired_idempotency_keys, engine, stop),
            training_consumer.run_forever(stop),
            calendar_consumers.run(js, engine, stop, max_deliver=settings.consumer_max_deliver),
        )
    finally:
        with contextlib.suppress(Exception):
            await nc.drain()
        await engine.dispose()
    announce(f"relay stopped after publishing {sum(r.published_total for r in relays)} events")


async def _hourly(job, engine, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await job(engine)
        except Exception as exc:  # housekeeping retries next hour; it never stops the relay
            print(f"housekeeping {job.__name__} failed: {exc!r}", flush=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=3600)


async def replay_outboxes(settings: HubSettings, since: datetime) -> int:
    """Re-publish, from every service's outbox, the events sent since ``since``; return how many."""
    nc = await hub_nats.connect(settings.nats_url, name="hub-replay")
    engine = create_engine(settings.database_url, pool_size=2)
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        replayed = 0
        for table in service_outboxes():
            relay = OutboxRelay(engine=engine, database_url=settings.database_url, table=table, js=js)
            replayed += await relay.replay_since(since)
        return replayed
    finally:
        with contextlib.suppress(Exception):
            await nc.drain()
        await engine.dispose()
