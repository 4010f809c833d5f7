"""The outbox relay: committed outbox rows → NATS JetStream, at least once.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several relays can run side by side, published with
``publish_async`` (header ``Nats-Msg-Id`` = event_id, so JetStream drops a re-publish) and marked sent in the same
transaction that claimed them. A relay killed after publishing but before marking re-publishes those rows on restart;
JetStream's duplicate window and the consumers' idempotency turn that into exactly one event.

``drain`` pipelines batches: once a batch's messages are written to NATS, the next batch is claimed (in a transaction
of its own, skipping the rows the first still holds) and published while the first one's acks are in flight, so the
round trips to Postgres and the wait for acks overlap instead of adding up. At most ``pipeline_depth`` batches are in
hand; each still marks only the rows NATS acknowledged, in the transaction that claimed them.
A NOTIFY on commit wakes the relay at once; polling every ``poll_seconds`` is the guarantee.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

import psycopg
from nats.js import JetStreamContext
from sqlalchemy import BigInteger, Table, Text, any_, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from messaging import tracing
from messaging.outbox import outbox_channel, sent_before
from messaging.postgres import libpq_url
from messaging.retry import keep_trying

log = logging.getLogger(__name__)

_ASYNC_COMMIT = text("SET LOCAL synchronous_commit = off")


def _envelope_text(table: Table):
    # Postgres renders the JSONB as text itself, so no event is decoded into Python only to be encoded again.
    return table.c.envelope.cast(Text).label("envelope")


def _event_id_text(table: Table):
    # the header wants the id as text: no UUID object made per row only to be turned back into a string
    return table.c.event_id.cast(Text).label("event_id")


class OutboxRelay:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        database_url: str,
        table: Table,
        js: JetStreamContext,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        retention_days: int = 7,
        ack_timeout_seconds: float = 3.0,
        delete_sent: bool = False,
        pipeline_depth: int = 2,
    ):
        self.engine = engine
        self.database_url = database_url
        self.table = table
        self.js = js
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.retention = timedelta(days=retention_days)
        self.ack_timeout_seconds = ack_timeout_seconds
        # a private outbox (contracts/private.py) keeps nothing once NATS has it: no replay, no secret at rest
        self.delete_sent = delete_sent
        # batches in hand at once in ``drain`` (1: claim, publish, await acks, mark, then the next)
        self.pipeline_depth = max(1, pipeline_depth)
        self._wake = asyncio.Event()
        self.published_total = 0

    async def relay_once(self) -> int:
        """Publish one batch of unsent events; return how many were published."""
        async with self.engine.connect() as conn:
            return await self._relay_batch(conn, None)

    async def _relay_batch(self, conn: AsyncConnection, handed_over: asyncio.Event | None) -> int:
        """Claim, publish and mark one batch in a transaction on ``connection``; set ``handed_over`` once its messages
        are written to NATS (their acks still to come), or once there is nothing to wait for (no rows, a failure), so
        the next batch may start."""
        t = self.table
        try:
            async with conn.begin():
                # Marking rows sent need not wait for the WAL flush: should Postgres lose the mark in a crash, the
                # rows are published again and JetStream (Nats-Msg-Id) and the consumers drop the copies.
                await conn.execute(_ASYNC_COMMIT)
                rows = (
                    await conn.execute(
                        select(t.c.id, _event_id_text(t), t.c.subject, _envelope_text(t), t.c.traceparent)
                        .where(t.c.sent_at.is_(None))
                        .order_by(t.c.id)
                        .limit(self.batch_size)
                        .with_for_update(skip_locked=True)
                    )
                ).all()
                if not rows:
                    return 0
                results = await self._publish_all(rows, handed_over)
                sent_ids, failed = [], []
                for row, res in zip(rows, results, strict=True):
                    if isinstance(res, BaseException):
                        failed.append((row.id, res))
                    else:
                        sent_ids.append(row.id)
                if sent_ids and self.delete_sent:
                    await conn.execute(t.delete().where(_id_in(t, sent_ids)))
                elif sent_ids:
                    await conn.execute(update(t).where(_id_in(t, sent_ids)).values(sent_at=datetime.now(UTC)))
                if failed:  # one statement: a server that went away fails the whole batch alike
                    await conn.execute(
                        update(t)
                        .where(_id_in(t, [row_id for row_id, _ in failed]))
                        .values(attempts=t.c.attempts + 1, last_error=repr(failed[0][1])[:500])
                    )
                    log.warning(
                        "publish failed; will retry", extra={"failed": len(failed), "error": repr(failed[0][1])}
                    )
        finally:
            if handed_over is not None:
                handed_over.set()
        self.published_total += len(sent_ids)
        return len(sent_ids)

    async def replay_since(self, since: datetime) -> int:
        """Re-publish events already marked sent since ``since`` (after a NATS crash lost acknowledged writes).

        Messages keep their Nats-Msg-Id, so anything the stream still holds inside its duplicate window is dropped
        by JetStream, and consumers skip event ids they have already processed.
        """
        t = self.table
        replayed, last_id = 0, 0
        while True:
            async with self.engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(t.c.id, _event_id_text(t), t.c.subject, _envelope_text(t), t.c.traceparent)
                        .where(t.c.sent_at.is_not(None), t.c.sent_at >= since, t.c.id > last_id)
                        .order_by(t.c.id)
                        .limit(self.batch_size)
                    )
                ).all()
            if not rows:
                return replayed
            failures = [result for result in await self._publish_all(rows) if isinstance(result, BaseException)]
            if failures:
                raise failures[0]
            replayed += len(rows)
            last_id = rows[-1].id

    async def _publish_all(self, rows, handed_over: asyncio.Event | None = None) -> list[object]:
        """Publish ``rows``; each result is its ack, or the exception that stands for a missing one. ``handed_over``
        is set once every message is written to the connection, before the acks are awaited.

        nats-py's ack futures have no timeout of their own: without ``ack_timeout_seconds`` a relay whose server
        went away would hold the batch's rows (and its transaction) locked forever, and never stop."""
        acks: list[asyncio.Future] = []
        try:
            for row in rows:
                acks.append(await self._publish(row))
        except Exception as exc:  # the rows not yet published fail with the reason, and are retried
            return [*(await self._collect(acks)), *([exc] * (len(rows) - len(acks)))]
        if handed_over is not None:
            handed_over.set()
        return await self._collect(acks)

    async def _collect(self, acks: list[asyncio.Future]) -> list[object]:
        if acks:
            _, late = await asyncio.wait(acks, timeout=self.ack_timeout_seconds)
            for ack in late:
                ack.cancel()
        no_ack = TimeoutError(f"no acknowledgement from NATS within {self.ack_timeout_seconds:g}s")
        return [
            no_ack if ack.cancelled() else (ack.exception() if ack.exception() is not None else ack.result())
            for ack in acks
        ]

    async def _publish(self, row) -> asyncio.Future:
        event_id = str(row.event_id)
        headers = {"Nats-Msg-Id": event_id}
        # the trace of the request that recorded the event goes on in the message headers (messaging/tracing.py)
        with tracing.publish_span(row.subject, event_id, row.traceparent, headers):
            return await self.js.publish_async(row.subject, row.envelope.encode(), headers=headers)

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Publish batches until the outbox has no unsent rows, or ``stop`` is set (checked before each claim, so a
        stopping relay finishes at most the ``pipeline_depth`` batches in hand); return how many were published.

        A batch that publishes nothing (none left, or NATS failed them all) ends the drain once the batches still
        in hand are done; an exception from a batch is raised after the others are done."""
        total, exhausted, claimed = 0, False, 0
        in_hand: list[asyncio.Task[int]] = []
        # each batch in hand has a connection of its own, kept for the whole drain: no pool checkout (and its
        # pre-ping round trip) per batch. Batches in hand are consecutive, so batch n never shares n - depth's.
        connections: list[AsyncConnection] = []
        async with contextlib.AsyncExitStack() as opened:
            try:
                while not exhausted and not (stop is not None and stop.is_set()):
                    if len(connections) < self.pipeline_depth:
                        connections.append(await opened.enter_async_context(self.engine.connect()))
                    handed_over = asyncio.Event()
                    batch = self._relay_batch(connections[claimed % self.pipeline_depth], handed_over)
                    in_hand.append(asyncio.create_task(batch))
                    claimed += 1
                    await handed_over.wait()
                    # collect the finished batches, and the oldest whenever the pipeline is full
                    while in_hand and (in_hand[0].done() or len(in_hand) >= self.pipeline_depth):
                        published = await in_hand.pop(0)
                        total += published
                        exhausted = exhausted or not published
                while in_hand:
                    total += await in_hand.pop(0)
            except asyncio.CancelledError:
                for batch in in_hand:  # their transactions roll back; what they published goes out again, deduplicated
                    batch.cancel()
                raise
            finally:
                if in_hand:  # before their connections are closed
                    await asyncio.gather(*in_hand, return_exceptions=True)
        return total

    async def purge_sent(self) -> int:
        async with self.engine.begin() as conn:
            result = await conn.execute(sent_before(self.table, datetime.now(UTC) - self.retention))
            return result.rowcount or 0

    async def _listen(self) -> None:
        channel = outbox_channel(self.table.schema or "public")

        async def listen() -> None:
            async with await psycopg.AsyncConnection.connect(libpq_url(self.database_url), autocommit=True) as conn:
                await conn.execute(f'LISTEN "{channel}"')
                self._wake.set()  # catch anything committed while we were not listening
                async for _ in conn.notifies():
                    self._wake.set()
            raise ConnectionError("the LISTEN connection ended")

        # the poll loop keeps the guarantee while LISTEN reconnects
        await keep_trying("outbox LISTEN lost; reconnecting", listen)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        listener = asyncio.create_task(self._listen())
        stopper = asyncio.create_task(self._wake_on(stop))
        last_purge = datetime.min.replace(tzinfo=UTC)
        try:
            while not stop.is_set():
                self._wake.clear()  # before draining, so a NOTIFY that lands mid-drain is not lost
                try:
                    await self.drain(stop)
                    if datetime.now(UTC) - last_purge > timedelta(hours=1):
                        await self.purge_sent()
                        last_purge = datetime.now(UTC)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("relay pass failed; retrying", extra={"error": repr(exc)})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
        finally:
            for task in (listener, stopper):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _wake_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self._wake.set()


def _id_in(table: Table, ids: list[int]):
    # one array parameter instead of a bind parameter per row: a shorter statement to build, send and plan
    return table.c.id == any_(bindparam("ids", ids, type_=ARRAY(BigInteger)))
