"""The transactional outbox: an event is a row written in the same transaction as the change it describes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Index, Insert, Integer, MetaData, Table, Text, func, select, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import EventEnvelope
from messaging import tracing


def outbox_channel(schema: str) -> str:
    return f"hub_outbox_{schema}"


def make_outbox_table(metadata: MetaData, name: str = "outbox") -> Table:
    """The outbox of the service that owns ``metadata`` (same schema as its tables); ``name`` another one of the same
    shape (``private_outbox``: messages for the private stream, contracts/private.py)."""
    return Table(
        name,
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("subject", Text, nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        # the W3C traceparent of the request (or consumer) that recorded the event, when tracing is on
        Column("traceparent", Text),
        Index(f"ix_{name}_unsent", "id", postgresql_where=text("sent_at IS NULL")),
        Index(f"ix_{name}_sent_at", "sent_at"),
    )


class Outbox:
    """Records events on the request's session; the relay publishes them after commit."""

    def __init__(self, table: Table):
        self.table = table
        self.channel = outbox_channel(table.schema or "public")

    async def record(self, session: AsyncSession, envelope: EventEnvelope[Any], *, along: Insert | None = None) -> None:
        """Add ``envelope`` to the outbox in the session's transaction, and wake the relay at commit.

        ``along``: the INSERT of the row the event is about, sent in the same statement as the event's row and the
        wake-up (data-modifying CTEs, each run once and to completion), so logging a record costs one round trip
        instead of three; the row is then not in the session (an ORM object built for it stays transient)."""
        statement = self.table.insert().values(
            event_id=envelope.event_id,
            subject=envelope.subject,
            envelope=envelope.model_dump(mode="json"),
            traceparent=tracing.current_traceparent(),
        )
        # NOTIFY is delivered on commit only, so the relay wakes for committed events and never for rolled-back ones;
        # one per transaction is enough (Postgres folds identical notifications anyway, after the round trip).
        notified = session.info.setdefault("hub_outbox_notified", set())
        key = (self.channel, id(session.get_transaction()))
        notify = key not in notified
        if along is None:
            await session.execute(statement)
            if notify:
                await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})
        else:
            ctes = [along.cte("hub_recorded_row"), statement.cte("hub_recorded_event")]
            wake = select(func.pg_notify(self.channel, "") if notify else func.now())
            await session.execute(wake.add_cte(*ctes))
        notified.add(key)
        tracing.note_event("outbox record", {"event_id": str(envelope.event_id), "subject": envelope.subject})


def sent_before(table: Table, cutoff: datetime):
    return table.delete().where(table.c.sent_at.is_not(None), table.c.sent_at < cutoff)
