"""The pipelined relay (a batch claimed while the last one's acks are in flight) marks only what NATS acknowledged:
a server frozen mid-drain leaves every row it did not acknowledge unsent, and the next drain delivers each event once,
in the outbox's order."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator

from nats.errors import TimeoutError as NatsTimeoutError
from sqlalchemy import MetaData, func, insert, select, text

from contracts.envelope import STREAM_NAME
from messaging import nats as hub_nats
from messaging.outbox import make_outbox_table
from messaging.relay import OutboxRelay
from operational.kit.db import create_engine
from tests.messaging import private_nats
from tests.operational.kit.events import rpe_logged_event

ROWS = 4000
BATCH = 100
ACK_TIMEOUT_SECONDS = 0.5


async def _stream_ids(js, expected_at_least: int) -> list[str]:
    """Every Nats-Msg-Id in the event stream, in stream order."""
    sub = await js.pull_subscribe("hub.>", stream=STREAM_NAME)
    ids: list[str] = []
    try:
        while True:
            try:
                msgs = await sub.fetch(1000, timeout=1.0)
            except (TimeoutError, NatsTimeoutError):  # nats-py raises either
                if len(ids) >= expected_at_least:
                    return ids
                raise
            for msg in msgs:
                ids.append(msg.headers["Nats-Msg-Id"])
                await msg.ack()  # an ephemeral consumer stops delivering at 1000 unacknowledged messages
    finally:
        await sub.unsubscribe()


async def _sent_count(engine, table) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(select(func.count()).where(table.c.sent_at.is_not(None)))).scalar_one()


@contextlib.asynccontextmanager
async def _outbox_holding(settings, nats, events) -> AsyncIterator[tuple]:
    """An outbox table of its own (a fresh schema) holding ``events``, its engine, and a JetStream context on ``nats``
    with the streams in place; the schema is dropped afterwards."""
    schema = f"relay_{uuid.uuid4().hex[:10]}"
    table = make_outbox_table(MetaData(schema=schema))
    rows = [{"event_id": e.event_id, "subject": e.subject, "envelope": e.model_dump(mode="json")} for e in events]
    engine = create_engine(settings.database_url, pool_size=2)
    nc = await hub_nats.connect(nats.url, name="test-relay-pipelined")
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            await conn.run_sync(table.metadata.create_all)
            await conn.execute(insert(table), rows)
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        yield engine, table, js
    finally:
        await hub_nats.close(nc)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


def test_a_server_frozen_mid_drain_leaves_unacknowledged_rows_unsent_and_each_event_goes_out_once(settings):
    org = uuid.uuid4()
    events = [rpe_logged_event(org) for _ in range(ROWS)]

    async def scenario(nats) -> None:
        async with _outbox_holding(settings, nats, events) as (engine, table, js):
            relay = OutboxRelay(engine=engine, database_url=settings.database_url, table=table, js=js,
                                batch_size=BATCH, ack_timeout_seconds=ACK_TIMEOUT_SECONDS)  # fmt: skip
            assert relay.pipeline_depth >= 2

            draining = asyncio.create_task(relay.drain())
            deadline = time.monotonic() + 30
            while await _sent_count(engine, table) < 2 * BATCH:  # a few batches are through
                assert time.monotonic() < deadline, "the relay marked nothing sent"
                await asyncio.sleep(0.005)
            os.kill(nats.process.pid, signal.SIGSTOP)
            try:
                first_pass = await asyncio.wait_for(draining, timeout=ACK_TIMEOUT_SECONDS + 10)
            finally:
                os.kill(nats.process.pid, signal.SIGCONT)
            assert 0 < first_pass < ROWS, "the server must have been frozen mid-drain"

            async with engine.connect() as conn:
                marked = {str(r.event_id) for r in await conn.execute(select(table.c.event_id, table.c.sent_at))
                          if r.sent_at is not None}  # fmt: skip
            assert len(marked) == first_pass
            stored = set(await _stream_ids(js, len(marked)))
            assert marked <= stored, f"{len(marked - stored)} row(s) marked sent that NATS never stored"

            assert await relay.drain() == ROWS - first_pass
            assert await _sent_count(engine, table) == ROWS
            in_stream = await _stream_ids(js, ROWS)
            assert len(in_stream) == len(set(in_stream)) == ROWS, "every event stored exactly once"
            assert sorted(in_stream) == sorted(str(e.event_id) for e in events)

    with private_nats() as nats:
        asyncio.run(scenario(nats))


def test_a_pipelined_drain_publishes_in_outbox_order(settings):
    events = [rpe_logged_event(uuid.uuid4()) for _ in range(5 * 40)]

    async def scenario(nats) -> None:
        async with _outbox_holding(settings, nats, events) as (engine, table, js):
            relay = OutboxRelay(engine=engine, database_url=settings.database_url, table=table, js=js, batch_size=40)
            assert await relay.drain() == len(events)
            assert await _stream_ids(js, len(events)) == [str(e.event_id) for e in events]

    with private_nats() as nats:
        asyncio.run(scenario(nats))
