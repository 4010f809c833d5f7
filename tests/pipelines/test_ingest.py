"""Ingest never lets a bad message block landing: a malformed message and an event of an unknown version are
dead-lettered with their reason, and the events behind them reach ``raw.events``."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from contextlib import closing
from pathlib import Path

import duckdb

from messaging import nats as hub_nats
from messaging.dead_letters import list_dead_letters
from pipelines.ingest import Backlog, WarehouseConsumer, ingest_pending_events, stream_sequence
from tests.messaging import private_nats
from tests.operational.kit.events import rpe_logged_event
from warehouse.duckdb_warehouse import DuckDBSession

SUBJECT = "hub.training.session_rpe.logged"


def test_malformed_and_unknown_version_events_are_dead_lettered_and_the_rest_land():
    before, after = rpe_logged_event(uuid.uuid4()), rpe_logged_event(uuid.uuid4())
    newer = json.loads(rpe_logged_event(uuid.uuid4()).model_dump_json()) | {"version": 3}

    async def scenario(nats_url: str, conn: duckdb.DuckDBPyConnection) -> None:
        nc = await hub_nats.connect(nats_url, name="test")
        try:
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)
            bodies = [
                before.model_dump_json().encode(),
                b"\xff\xfe not even text",
                json.dumps(newer).encode(),
                after.model_dump_json().encode(),
            ]
            for number, body in enumerate(bodies):
                await js.publish(SUBJECT, body, headers={"Nats-Msg-Id": f"message-{number}"})
            result = await ingest_pending_events(js, DuckDBSession(conn, Path()), load_id="test")
            assert (result.events_received, result.rows_inserted, result.dead_lettered) == (2, 2, 2)
            assert (await WarehouseConsumer(js).backlog()).total == 0
            reasons = [letter.reason for letter in await list_dead_letters(js)]
            assert [letter.consumer for letter in await list_dead_letters(js)] == ["warehouse", "warehouse"]
            assert reasons[0].startswith("invalid event: Invalid JSON")
            assert (
                reasons[1] == "invalid event: unknown version 3 of training.session_rpe.logged (this consumer reads 1)"
            )
        finally:
            await nc.close()

    with private_nats() as nats, closing(duckdb.connect(":memory:")) as conn:
        asyncio.run(scenario(nats.url, conn))
        landed = {row[0] for row in conn.execute("SELECT event_id FROM raw.events").fetchall()}
    assert landed == {str(before.event_id), str(after.event_id)}


def test_a_drain_cut_short_by_its_batch_limit_holds_back_no_prefetched_message():
    events = [rpe_logged_event(uuid.uuid4()) for _ in range(250)]

    class SmallBatches(WarehouseConsumer):
        batch_size = 40

    async def scenario(nats_url: str, conn: duckdb.DuckDBPyConnection) -> None:
        nc = await hub_nats.connect(nats_url, name="test")
        try:
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)
            for event in events:
                await js.publish(
                    SUBJECT, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.event_id)}
                )
            consumer = SmallBatches(js, DuckDBSession(conn, Path()), load_id="test")
            try:
                assert await consumer.drain(max_batches=3) == 120
                # the batch after the third was never fetched, so nothing waits out the 60 s ack timeout (the acks
                # themselves reach the server a moment after the drain returns)
                deadline = time.monotonic() + 5
                while (backlog := await consumer.backlog()).awaiting_ack and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                assert backlog == Backlog(undelivered=130, awaiting_ack=0)
                assert await consumer.drain() == 130
                assert (await consumer.backlog()).total == 0
            finally:
                await consumer.close()
        finally:
            await nc.close()

    with private_nats() as nats, closing(duckdb.connect(":memory:")) as conn:
        asyncio.run(scenario(nats.url, conn))
        landed = [row[0] for row in conn.execute("SELECT event_id FROM raw.events ORDER BY stream_sequence").fetchall()]
    assert landed == [str(event.event_id) for event in events]


def test_the_stream_sequence_is_read_from_either_form_of_the_reply_subject():
    assert stream_sequence("$JS.ACK.HUB_EVENTS.warehouse.1.4211.17.1700000000000000000.3") == 4211
    assert stream_sequence("$JS.ACK.hub.ACCOUNTHASH.HUB_EVENTS.warehouse.2.4211.17.1700000000000000000.3.x") == 4211
    assert stream_sequence("_INBOX.abc") is None
    assert stream_sequence(None) is None
