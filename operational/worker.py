"""The worker: the one process that does the services' background work, built from the registry.

It relays every registered outbox to NATS, runs one durable consumer per service that declares handlers, and runs
every periodic job — one background process however many API replicas serve requests. ``hub worker`` runs it; the
tests drive the same relays and consumers until they are idle (tests/messaging.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging import nats as hub_nats
from messaging.collector import startup_heap_frozen
from messaging.consumer import InboxConsumer
from messaging.relay import OutboxRelay
from operational.kit.config import HubSettings
from operational.kit.db import create_engine
from operational.kit.service import PeriodicJob, Service
from operational.registry import SERVICES
from shared_settings import WORKER_POOL_SIZE

log = logging.getLogger(__name__)


def build_relays(
    settings: HubSettings, engine: AsyncEngine, js: JetStreamContext, services: Sequence[Service] = SERVICES
) -> list[OutboxRelay]:
    return [
        OutboxRelay(
            engine=engine,
            database_url=settings.database_url,
            table=service.outbox.table,
            js=js,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
            retention_days=settings.outbox_retention_days,
        )
        for service in services
        if service.outbox is not None
    ] + [
        OutboxRelay(
            engine=engine,
            database_url=settings.database_url,
            table=service.private_outbox.table,
            js=js,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
            delete_sent=True,
        )
        for service in services
        if service.private_outbox is not None
    ]


def build_consumers(
    settings: HubSettings, engine: AsyncEngine, js: JetStreamContext | None, services: Sequence[Service] = SERVICES
) -> list[InboxConsumer]:
    return [
        InboxConsumer(
            js, engine, name=service.name, handlers=service.handlers, max_deliver=settings.consumer_max_deliver
        )
        for service in services
        if service.consumers
    ] + [
        InboxConsumer(
            js,
            engine,
            name=f"{service.name}_private",
            handlers={handler.event_type: handler.handle for handler in service.private_consumers},
            max_deliver=settings.consumer_max_deliver,
            private=True,
        )
        for service in services
        if service.private_consumers
    ]


def periodic_jobs(services: Sequence[Service] = SERVICES) -> list[PeriodicJob]:
    return [job for service in services for job in service.jobs]


async def run_periodically(job: PeriodicJob, engine: AsyncEngine, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await job.run(engine)
        except Exception as exc:  # a job retries at its next turn; it never stops the worker
            log.warning("periodic job failed; will retry", extra={"job": job.name, "error": repr(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=job.every.total_seconds())


# After ``stop`` the work in hand (a relay's batch, a consumer's fetched batch, a job) gets this long to finish; what
# is still running then is cancelled: its transaction rolls back and its messages go back to NATS unacked, to be
# done again by the next worker. Together with closing NATS, the worker stops well within 5 s.
STOP_GRACE_SECONDS = 1.5


async def until_stopped(work: Sequence[Awaitable[None]], stop: asyncio.Event, grace: float = STOP_GRACE_SECONDS):
    """Run ``work`` until it all returns, or until ``stop`` is set and then at most ``grace`` seconds more.

    A task that fails before the stop raises its error here (the others are cancelled)."""
    tasks = [asyncio.ensure_future(item) for item in work]
    stopped = asyncio.ensure_future(stop.wait())
    try:
        running = set(tasks)
        while running and not stop.is_set():
            done, running = await asyncio.wait([*running, stopped], return_when=asyncio.FIRST_COMPLETED)
            running.discard(stopped)
            for task in done - {stopped}:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            if late:
                log.warning("stopping: cancelling work still running", extra={"tasks": len(late), "grace": grace})
    finally:
        stopped.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, stopped, return_exceptions=True)


async def run(
    settings: HubSettings,
    stop: asyncio.Event,
    *,
    on_ready: Callable[[list[OutboxRelay]], None] = lambda relays: None,
    consumers: bool = True,
    jobs: bool = True,
) -> list[OutboxRelay]:
    """Relay, consume and run jobs until ``stop`` is set; return the relays (they count what they published).

    ``consumers=False, jobs=False`` relays only: an API under test whose events must reach NATS."""
    nc = await hub_nats.connect(settings.nats_url, name="hub-worker")
    engine = create_engine(settings.database_url, pool_size=WORKER_POOL_SIZE, pre_ping=True)
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js, replicas=settings.nats_stream_replicas)
        relays = build_relays(settings, engine, js)
        work = [relay.run(stop) for relay in relays]
        if consumers:
            work += [consumer.run_forever(stop) for consumer in build_consumers(settings, engine, js)]
        if jobs:
            work += [run_periodically(job, engine, stop) for job in periodic_jobs()]
        on_ready(relays)
        async with startup_heap_frozen():  # full collections walk what relaying makes, not the imported libraries
            await until_stopped(work, stop)
        return relays
    finally:
        await hub_nats.close(nc)
        await engine.dispose()


async def replay_outboxes(settings: HubSettings, since: datetime) -> int:
    """Re-publish, from every registered outbox, the events sent since ``since``; return how many."""
    nc = await hub_nats.connect(settings.nats_url, name="hub-replay")
    engine = create_engine(settings.database_url, pool_size=2, pre_ping=True)
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js, replicas=settings.nats_stream_replicas)
        return sum([await relay.replay_since(since) for relay in build_relays(settings, engine, js)])
    finally:
        await hub_nats.close(nc)
        await engine.dispose()
