"""Events through the system as the worker moves them, for tests: the worker's own relays and consumers
(operational/worker.py), run until idle or in the background.

- ``drain_and_consume``: publish every outbox (and any extra events), then let the services' consumers catch up.
- ``apply_events``: a service's consumer handling the given events in order, without the stream.
- ``apply_private``: the same for a service's private consumer and private messages (contracts/private.py).
- ``relaying``: the worker's relays in a thread of their own while a test runs an API (events reach NATS).
- ``jetstream_on``: a JetStream context on the session's NATS server, with the streams in place.
- ``private_nats``: a NATS server of the test's own, for tests that read a whole stream (the dead letters).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from hub.embedded import EmbeddedNats, start_nats
from messaging import nats as hub_nats
from messaging.consumer import Delivery
from operational import worker
from operational.kit.db import create_engine, sqlalchemy_url
from operational.registry import service


async def _drain_and_consume(settings, extra_events, services) -> dict[str, int]:
    nc = await hub_nats.connect(settings.nats_url, name="tests-worker")
    engine = create_engine(settings.database_url, pool_size=2)
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        for relay in worker.build_relays(settings, engine, js):
            await relay.drain()
        for event in extra_events:
            await js.publish(
                event.subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        consumers = [
            consumer
            for consumer in worker.build_consumers(settings, engine, js)
            if services is None or consumer.durable_name.removesuffix("_private") in services
        ]
        applied = {}
        for consumer in consumers:
            await consumer.drain()
            applied[consumer.durable_name] = consumer.applied
        return applied
    finally:
        await nc.close()
        await engine.dispose()


def drain_and_consume(settings, *extra_events, services: Iterable[str] | None = None) -> dict[str, int]:
    """Publish every outbox and ``extra_events``, then run every service's consumer (or those named) until nothing
    is pending; return, per consumer, how many events it applied (redeliveries of handled events not counted)."""
    return asyncio.run(_drain_and_consume(settings, extra_events, None if services is None else set(services)))


def apply_private(settings, service_name: str, messages) -> int:
    """What ``service_name``'s private consumer does with ``messages`` (contracts/private.py), in this order."""
    return apply_events(settings, f"{service_name}_private", messages, owner=service_name)


def apply_events(settings, service_name: str, events, *, owner: str | None = None) -> int:
    """What ``service_name``'s consumer does with a fetched batch, for ``events`` in this order; return how many it
    applied (an event it has handled before changes nothing)."""

    async def go() -> int:
        engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
        try:
            consumers = worker.build_consumers(settings, engine, None, [service(owner or service_name)])
            (consumer,) = [one for one in consumers if one.durable_name == service_name]
            await consumer.handle_deliveries([Delivery(None, event) for event in events])
            return consumer.applied
        finally:
            await engine.dispose()

    return asyncio.run(go())


@contextlib.contextmanager
def relaying(settings) -> Iterator[None]:
    """The worker's relays (no consumers, no jobs) publish every outbox while the block runs."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    ready = threading.Event()
    failure: list[BaseException] = []

    def main() -> None:
        async def go() -> None:
            try:
                await worker.run(settings, stop, on_ready=lambda _: ready.set(), consumers=False, jobs=False)
            except BaseException as exc:
                failure.append(exc)
                ready.set()

        loop.run_until_complete(go())

    thread = threading.Thread(target=main, name="tests-relays", daemon=True)
    thread.start()
    assert ready.wait(timeout=30), "the relays did not start within 30s"
    if failure:
        raise failure[0]
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()


@contextlib.asynccontextmanager
async def jetstream_on(settings) -> AsyncIterator:
    """A JetStream context on ``settings``' NATS server, with the event and dead-letter streams in place."""
    nc = await hub_nats.connect(settings.nats_url, name="test")
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        yield js
    finally:
        await nc.close()


@contextlib.contextmanager
def private_nats() -> Iterator[EmbeddedNats]:
    """A NATS server of its own (about 0.1 s to start), so that what a test reads from a stream is its own."""
    store_dir = Path(tempfile.mkdtemp(prefix="hub-nats-own-"))
    server = start_nats(store_dir)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(store_dir, ignore_errors=True)
