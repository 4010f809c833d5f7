"""A relay whose NATS server stops answering neither hangs nor holds its batch: the publishes count as failed after
the ack timeout, the rows stay unsent (and unlocked) for the next pass, and a stop is honoured at once."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid

from sqlalchemy import MetaData, select, text

from messaging import nats as hub_nats
from messaging.outbox import Outbox, make_outbox_table
from messaging.relay import OutboxRelay
from operational.kit.db import create_engine
from tests.messaging import private_nats
from tests.operational.kit.events import rpe_logged_event

ACK_TIMEOUT_SECONDS = 0.5


async def _until_rows_are_locked(engine, table, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with engine.connect() as conn:
            free = (await conn.execute(select(table.c.id).with_for_update(skip_locked=True))).all()
            await conn.rollback()
        if not free:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the relay never claimed the batch")


def test_a_frozen_nats_fails_the_batch_after_the_ack_timeout_and_the_rows_go_out_later(settings):
    schema = f"relay_{uuid.uuid4().hex[:10]}"
    table = make_outbox_table(MetaData(schema=schema))
    events = [rpe_logged_event(uuid.uuid4()) for _ in range(3)]

    async def scenario(nats) -> None:
        engine = create_engine(settings.database_url, pool_size=2)
        nc = await hub_nats.connect(nats.url, name="test-relay")
        try:
            async with engine.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                await conn.run_sync(table.metadata.create_all)
            async with engine.begin() as conn:  # as a service's unit of work records them
                for event in events:
                    await Outbox(table).record(conn, event)
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)
            relay = OutboxRelay(engine=engine, database_url=settings.database_url, table=table, js=js,
                                ack_timeout_seconds=ACK_TIMEOUT_SECONDS)  # fmt: skip

            os.kill(nats.process.pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                assert await relay.relay_once() == 0
                assert time.monotonic() - started < ACK_TIMEOUT_SECONDS + 2
                async with engine.connect() as conn:
                    rows = (await conn.execute(select(table.c.sent_at, table.c.attempts, table.c.last_error))).all()
                assert {(row.sent_at, row.attempts) for row in rows} == {(None, 1)}
                assert all("no acknowledgement from NATS within 0.5s" in row.last_error for row in rows)

                stop = asyncio.Event()
                running = asyncio.create_task(relay.run(stop))
                await _until_rows_are_locked(engine, table)  # a pass has claimed the batch and waits for acks
                stop.set()
                started = time.monotonic()
                await asyncio.wait_for(running, timeout=ACK_TIMEOUT_SECONDS + 3)
                assert time.monotonic() - started < ACK_TIMEOUT_SECONDS + 2
            finally:
                os.kill(nats.process.pid, signal.SIGCONT)

            assert await relay.drain() == 3
            async with engine.connect() as conn:
                unsent = (await conn.execute(select(table.c.id).where(table.c.sent_at.is_(None)))).all()
            assert unsent == []
        finally:
            await hub_nats.close(nc)
            async with engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await engine.dispose()

    with private_nats() as nats:
        asyncio.run(scenario(nats))
