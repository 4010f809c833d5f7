"""The transactional outbox: an event is a row written in the same transaction as the change it describes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Executable,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy import inspect as inspect_mapped
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


_EVENT_PARAMS = ("event_id", "subject", "envelope", "traceparent")


class Outbox:
    """Records events on the request's session; the relay publishes them after commit."""

    def __init__(self, table: Table):
        self.table = table
        self.channel = outbox_channel(table.schema or "public")
        # the statements recording an event along with a new row, by the row's table and columns and whether the
        # relay is woken: built once, then run with parameters (see ``_along_statement``)
        self._along: dict[tuple[Table, tuple[str, ...], bool], Executable] = {}

    async def record(self, session: AsyncSession, envelope: EventEnvelope[Any], *, along: Any = None) -> None:
        """Add ``envelope`` to the outbox in the session's transaction, and wake the relay at commit.

        ``along``: the new ORM object the event is about, inserted in the same statement as the event's row and the
        wake-up (data-modifying CTEs, each run once and to completion), so logging a record costs one round trip
        instead of three. The object stays transient (not in the session): its table's columns it has values for
        are sent as a flush would send them, and column defaults apply in the database only, so set on it whatever
        the caller reads back."""
        event = {
            "event_id": envelope.event_id,
            "subject": envelope.subject,
            "envelope": envelope.model_dump(mode="json"),
            "traceparent": tracing.current_traceparent(),
        }
        # NOTIFY is delivered on commit only, so the relay wakes for committed events and never for rolled-back ones;
        # one per transaction is enough (Postgres folds identical notifications anyway, after the round trip).
        notified = session.info.setdefault("hub_outbox_notified", set())
        key = (self.channel, id(session.get_transaction()))
        notify = key not in notified
        if along is None:
            await session.execute(self.table.insert().values(**event))
            if notify:
                await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})
        else:
            mapper, state = inspect_mapped(type(along)), inspect_mapped(along)
            row = {prop.columns[0].key: state.dict[prop.key] for prop in mapper.column_attrs if prop.key in state.dict}
            statement = self._along_statement(mapper.local_table, tuple(row), notify)
            params = {f"hub_row_{name}": value for name, value in row.items()}
            params.update((f"hub_event_{name}", value) for name, value in event.items())
            await session.execute(statement, params)
        notified.add(key)
        tracing.note_event("outbox record", {"event_id": str(envelope.event_id), "subject": envelope.subject})

    def _along_statement(self, table: Table, columns: tuple[str, ...], notify: bool) -> Executable:
        """The row's INSERT, the event's and the wake-up as one statement taking every value as a parameter: the same
        object for every row of a shape, so SQLAlchemy neither rebuilds it nor recomputes its cache key, and its SQL
        text is the same each time (psycopg prepares it on the server)."""
        statement = self._along.get((table, columns, notify))
        if statement is None:
            row = table.insert().values({name: bindparam(f"hub_row_{name}") for name in columns})
            event = self.table.insert().values({name: bindparam(f"hub_event_{name}") for name in _EVENT_PARAMS})
            wake = select(func.pg_notify(self.channel, "") if notify else func.now())
            statement = wake.add_cte(row.cte("hub_recorded_row"), event.cte("hub_recorded_event"))
            self._along[(table, columns, notify)] = statement
        return statement


def sent_before(table: Table, cutoff: datetime):
    return table.delete().where(table.c.sent_at.is_not(None), table.c.sent_at < cutoff)
