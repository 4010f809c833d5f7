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

A batch is claimed and marked through psycopg on the pooled connection's driver connection, with statements built once
per relay: rows come back as plain tuples, with no SQLAlchemy statement compiled or row object made per batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

import psycopg
from nats.js import JetStreamContext
from psycopg import sql
from sqlalchemy import Table, Text, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from messaging import tracing
from messaging.collector import collect_young, cyclic_gc_paused
from messaging.outbox import outbox_channel, sent_before
from messaging.postgres import libpq_url
from messaging.retry import keep_trying

log = logging.getLogger(__name__)

# Marking rows sent need not wait for the WAL flush: should Postgres lose the mark in a crash, the rows are published
# again and JetStream (Nats-Msg-Id) and the consumers drop the copies.
_ASYNC_COMMIT = "SET LOCAL synchronous_commit = off"
# The cyclic collector is held off while draining (messaging/collector.py: 39 → 27 CPU µs an event in a process that
# had relayed before); a drain has no bound on its batches, so the cycles made meanwhile are freed this often.
_BATCHES_BETWEEN_COLLECTIONS = 20


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
        self._sql = _BatchStatements(table)

    async def relay_once(self) -> int:
        """Publish one batch of unsent events; return how many were published."""
        async with self.engine.connect() as conn:
            return await self._relay_batch(await _driver_connection(conn), None)

    async def _relay_batch(self, conn: psycopg.AsyncConnection, handed_over: asyncio.Event | None) -> int:
        """Claim, publish and mark one batch in a transaction on ``conn``; set ``handed_over`` once its messages
        are written to NATS (their acks still to come), or once there is nothing to wait for (no rows, a failure), so
        the next batch may start."""
        statements = self._sql
        try:
            async with conn.transaction(), conn.cursor() as cursor:
                await cursor.execute(_ASYNC_COMMIT)
                await cursor.execute(statements.claim, (self.batch_size,))
                rows = await cursor.fetchall()
                if not rows:
                    return 0
                results = await self._publish_all(rows, handed_over)
                sent_ids, failed = [], []
                for row, res in zip(rows, results, strict=True):
                    if isinstance(res, BaseException):
                        failed.append((row[0], res))
                    else:
                        sent_ids.append(row[0])
                if sent_ids and self.delete_sent:
                    await cursor.execute(statements.delete, (sent_ids,))
                elif sent_ids:
                    await cursor.execute(statements.mark_sent, (datetime.now(UTC), sent_ids))
                if failed:  # one statement: a server that went away fails the whole batch alike
                    await cursor.execute(
                        statements.mark_failed, (repr(failed[0][1])[:500], [row_id for row_id, _ in failed])
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
            last_id = rows[-1][0]

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
        """``row``: (id, event_id as text, subject, envelope as JSON text, traceparent or None)."""
        _, event_id, subject, envelope, traceparent = row
        headers = {"Nats-Msg-Id": event_id}
        # the trace of the request that recorded the event goes on in the message headers (messaging/tracing.py)
        with tracing.publish_span(subject, event_id, traceparent, headers):
            return await self.js.publish_async(subject, envelope.encode(), headers=headers)

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Publish batches until the outbox has no unsent rows, or ``stop`` is set (checked before each claim, so a
        stopping relay finishes at most the ``pipeline_depth`` batches in hand); return how many were published.

        A batch that publishes nothing (none left, or NATS failed them all) ends the drain once the batches still
        in hand are done; an exception from a batch is raised after the others are done."""
        with cyclic_gc_paused():
            return await self._drain(stop)

    async def _drain(self, stop: asyncio.Event | None) -> int:
        total, exhausted, claimed = 0, False, 0
        in_hand: list[asyncio.Task[int]] = []
        # each batch in hand has a connection of its own, kept for the whole drain: no pool checkout (and its
        # pre-ping round trip) per batch. Batches in hand are consecutive, so batch n never shares n - depth's.
        connections: list[psycopg.AsyncConnection] = []
        async with contextlib.AsyncExitStack() as opened:
            try:
                while not exhausted and not (stop is not None and stop.is_set()):
                    if len(connections) < self.pipeline_depth:
                        pooled = await opened.enter_async_context(self.engine.connect())
                        connections.append(await _driver_connection(pooled))
                    handed_over = asyncio.Event()
                    batch = self._relay_batch(connections[claimed % self.pipeline_depth], handed_over)
                    in_hand.append(asyncio.create_task(batch))
                    claimed += 1
                    if claimed % _BATCHES_BETWEEN_COLLECTIONS == 0:
                        collect_young()
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


class _BatchStatements:
    """The statements of a batch on ``table``; ids go in as one array parameter instead of a bind parameter per row (a
    shorter statement to send and plan, and one psycopg prepares once)."""

    def __init__(self, table: Table):
        name = sql.Identifier(*([table.schema] if table.schema else []), table.name)
        # the ids as text and the envelope rendered by Postgres: nothing decoded into Python only to be encoded again
        self.claim = sql.SQL(
            "SELECT id, event_id::text, subject, envelope::text, traceparent FROM {} WHERE sent_at IS NULL "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED"
        ).format(name)
        self.mark_sent = sql.SQL("UPDATE {} SET sent_at = %s WHERE id = ANY(%s::bigint[])").format(name)
        self.delete = sql.SQL("DELETE FROM {} WHERE id = ANY(%s::bigint[])").format(name)
        self.mark_failed = sql.SQL(
            "UPDATE {} SET attempts = attempts + 1, last_error = %s WHERE id = ANY(%s::bigint[])"
        ).format(name)


async def _driver_connection(conn: AsyncConnection) -> psycopg.AsyncConnection:
    """The psycopg connection under a pooled SQLAlchemy one (which still returns it to the pool)."""
    driver: psycopg.AsyncConnection = (await conn.get_raw_connection()).driver_connection
    if driver.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        # psycopg opens a transaction implicitly (a pool's pre-ping): a batch's must be one of its own, not a savepoint
        await driver.rollback()
    return driver
