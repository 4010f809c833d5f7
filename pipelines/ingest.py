"""Events from the HUB_EVENTS stream into ``raw.events``, through the durable consumer ``warehouse``.

Each fetched batch is one idempotent load through the warehouse port (an Arrow table and one INSERT on DuckDB, a COPY
and one INSERT on Postgres); the base consumer acks the messages only after
that transaction committed, so a crash at any point means redelivery, never loss, and redelivery means no duplicate.

``drain`` overlaps the two waits of a batch: the load runs in a worker thread (DuckDB and psycopg release the GIL while
they work) while the event loop fetches the next batch, which is processed only after the first one's acks went out.

No model is built per message: the body is checked against its contract by a check compiled once per event type
(contracts/checks.py) and becomes its row; a body the check declines goes through pydantic, which accepts it or gives
the reason it is dead-lettered with. The stream sequence comes from the message's reply subject, without nats-py's
metadata objects, a batch is fetched with one wait rather than a task and a timer a message (messaging/batch_pull.py),
and the cyclic garbage collector is held off for the drain (messaging/collector.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from contracts.checks import checked_document
from contracts.envelope import STREAM_NAME
from contracts.registry import parse_event
from messaging import tracing
from messaging.batch_pull import BatchPull
from messaging.collector import cyclic_gc_paused
from messaging.consumer import Delivery, EventConsumer
from messaging.tracing import TRACEPARENT_HEADER, trace_id_of
from warehouse.port import WarehouseSession, oldest_event_loaded
from warehouse.raw import RawEvent, raw_event, raw_event_of_document


@dataclass(frozen=True)
class Backlog:
    undelivered: int
    awaiting_ack: int

    @property
    def total(self) -> int:
        return self.undelivered + self.awaiting_ack


@dataclass(frozen=True)
class IngestResult:
    events_received: int
    rows_inserted: int
    dead_lettered: int
    oldest_new_event_at: datetime | None

    @property
    def duplicates_skipped(self) -> int:
        return self.events_received - self.rows_inserted


class WarehouseConsumer(EventConsumer):
    durable_name = "warehouse"
    batch_size = 1000

    def __init__(
        self,
        js: JetStreamContext,
        warehouse: WarehouseSession | None = None,
        *,
        load_id: str = "",
        max_deliver: int = 5,
    ):
        super().__init__(js, max_deliver=max_deliver)
        self.warehouse = warehouse
        self.load_id = load_id
        self.events_received = 0
        self.rows_inserted = 0
        self._pull: BatchPull | None = None

    async def fetch(self, timeout: float = 1.0) -> list[Msg]:
        """The next batch, waited for once rather than once a message (messaging/batch_pull.py)."""
        if self._pull is None:
            durable = await self._ensure_consumer()
            # the context's connection: nats-py keeps it there, and the pull needs it to subscribe and publish
            self._pull = BatchPull(self.js._nc, self.stream_name, durable)
        return await self._pull.fetch(self.batch_size, timeout)

    @staticmethod
    def parse(body: bytes) -> RawEvent:  # type: ignore[override]  # a row, not a model: nothing here needs one
        """The message's row; raises pydantic's ValidationError, with the reason, for a body that is not a valid
        event."""
        document = checked_document(body)
        if document is not None:
            with contextlib.suppress(ValueError):  # a time Python does not read: pydantic decides
                return raw_event_of_document(document)
        return raw_event(parse_event(body))

    async def handle_deliveries(self, deliveries: list[Delivery]) -> None:
        if self.warehouse is None:
            raise RuntimeError("WarehouseConsumer needs a warehouse session to handle events")
        # where each event sat in the stream, and the traceparent header the relay set when the write that made the
        # event was traced (messaging/tracing.py): one pass over the batch
        events: list[RawEvent] = []
        stream_sequences: dict[str, int] = {}
        traceparents: dict[str, str] = {}
        for msg, event in deliveries:
            events.append(event)
            if msg is None:
                continue
            if (sequence := stream_sequence(msg.reply)) is not None:
                stream_sequences[event.event_id] = sequence
            if msg.headers and (traceparent := msg.headers.get(TRACEPARENT_HEADER)):
                traceparents[event.event_id] = traceparent
        traced = (
            [(traceparents.get(e.event_id), {"messaging.message.id": e.event_id}) for e in events]
            if tracing.enabled()
            else []
        )
        trace_ids = {
            event_id: trace_id
            for event_id, traceparent in traceparents.items()
            if (trace_id := trace_id_of(traceparent))
        }
        with tracing.batch_spans("warehouse ingest", traced, {"messaging.batch.message_count": len(events)}):
            # in a worker thread, so that the next batch's fetch (drain) goes on while the warehouse works
            inserted = await asyncio.to_thread(
                self.warehouse.load_events,
                events,
                load_id=self.load_id,
                stream_sequences=stream_sequences,
                trace_ids=trace_ids,
            )
        self.events_received += len(events)
        self.rows_inserted += inserted

    async def backlog(self) -> Backlog:
        await self._ensure_consumer()
        info = await self.js.consumer_info(STREAM_NAME, self.durable_name)
        return Backlog(undelivered=info.num_pending, awaiting_ack=info.num_ack_pending)

    async def drain(self, *, max_batches: int = 100) -> int:
        """Consume what is pending now; unlike ``run_until_idle`` it never waits out a fetch timeout at the end.

        At most ``max_batches`` batches, so that under a flood of events the marts still refresh between loads. While
        a batch is loaded the next one is fetched, when the last message's ``num_pending`` says more are waiting;
        a fetched batch the drain does not get to process is nak'ed, so it is delivered again at once.
        """
        with cyclic_gc_paused():
            return await self._drain(max_batches)

    async def _drain(self, max_batches: int) -> int:
        handled, batches = 0, 0
        msgs = await self._next_batch() if max_batches > 0 else []
        prefetch: asyncio.Task[list[Msg]] | None = None
        try:
            while msgs and batches < max_batches:
                batches += 1
                if msgs[-1].metadata.num_pending and batches < max_batches:
                    prefetch = asyncio.create_task(self.fetch(timeout=2.0))
                handled += await self.process(msgs)
                if prefetch is not None:
                    msgs, prefetch = await prefetch, None
                elif batches < max_batches:
                    msgs = await self._next_batch()
        finally:
            if prefetch is not None:  # the processing failed: hand the prefetched batch back
                with contextlib.suppress(Exception):
                    for msg in await prefetch:
                        await msg.nak()
        return handled

    async def _next_batch(self) -> list[Msg]:
        backlog = await self.backlog()
        if not backlog.total:
            return []
        # Messages awaiting ack may be in another consumer's hands or waiting out a redelivery delay:
        # one short fetch picks up those already due, without blocking the pass on the others.
        return await self.fetch(timeout=2.0 if backlog.undelivered else 0.2)

    async def close(self) -> None:
        """Drop this pass's pull subscription: the connection outlives the pass, its subscriptions must not; a message
        received but never fetched is handed back."""
        if self._pull is not None:
            pull, self._pull = self._pull, None
            await pull.close()
        if self._subscription is not None:
            await self._subscription.unsubscribe()
            self._subscription = None


def stream_sequence(reply: str | None) -> int | None:
    """A JetStream message's sequence in its stream, read from its reply subject (what nats-py's ``metadata`` parses
    with the rest, into objects, per message): ``$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.…`` (9 tokens),
    or with the domain and account hash after ``$JS.ACK`` (11 or more, as nats-py reads them); None for anything
    else."""
    if not reply or not reply.startswith("$JS.ACK."):
        return None
    tokens = reply.split(".")
    if len(tokens) == 9:
        return int(tokens[5])
    if len(tokens) >= 11:
        return int(tokens[7])
    return None


async def ingest_pending_events(js: JetStreamContext, warehouse: WarehouseSession, *, load_id: str) -> IngestResult:
    warehouse.ensure_raw_schema()  # dbt's staging views need the table even before the first event arrives
    consumer = WarehouseConsumer(js, warehouse, load_id=load_id)
    try:
        await consumer.drain()
    finally:
        await consumer.close()
    return IngestResult(
        events_received=consumer.events_received,
        rows_inserted=consumer.rows_inserted,
        dead_lettered=consumer.dead_lettered,
        oldest_new_event_at=oldest_event_loaded(warehouse, load_id),
    )
