"""The transactional outbox: an event is a row written in the same transaction as the change it describes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    Column,
    DateTime,
    Executable,
    Index,
    Insert,
    Integer,
    MetaData,
    Row,
    Select,
    Table,
    Text,
    bindparam,
    exists,
    func,
    literal,
    select,
    text,
    true,
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
        # relay is woken and what may block them: built once, then run with parameters (see ``_along_statement``)
        self._along: dict[tuple[Table, tuple[str, ...], bool, Select | None], Executable] = {}

    async def record(
        self,
        session: AsyncSession,
        envelope: EventEnvelope[Any],
        *,
        along: Any = None,
        unless: tuple[Select, dict[str, Any]] | None = None,
    ) -> Row | None:
        """Add ``envelope`` to the outbox in the session's transaction, and wake the relay at commit.

        ``along``: the new ORM object the event is about, inserted in the same statement as the event's row and the
        wake-up (data-modifying CTEs, each run once and to completion), so logging a record costs one round trip
        instead of three. The object stays transient (not in the session): its table's columns it has values for
        are sent as a flush would send them, and column defaults apply in the database only, so set on it whatever
        the caller reads back.

        ``unless`` (with ``along`` only): a SELECT built once, of at most one row whose first column is never null,
        and its parameters (named unlike ``hub_*``). When it finds a row, neither the object nor the event is
        inserted and that row is returned (its columns by name); else None. It reads in the same statement, so what
        the transaction made sure of before (a lock) holds for it, and no round trip is added."""
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
        found = None
        if along is None:
            await session.execute(self.table.insert().values(**event))
            if notify:
                await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})
        else:
            mapper, state = inspect_mapped(type(along)), inspect_mapped(along)
            row = {prop.columns[0].key: state.dict[prop.key] for prop in mapper.column_attrs if prop.key in state.dict}
            blocking, params = unless if unless is not None else (None, {})
            statement = self._along_statement(mapper.local_table, tuple(row), notify, blocking)
            params = {**params, **{f"hub_row_{name}": value for name, value in row.items()}}
            params.update((f"hub_event_{name}", value) for name, value in event.items())
            result = await session.execute(statement, params)
            if blocking is not None:
                first = result.one()
                found = first if first[1] is not None else None
        # with a row found nothing is recorded, but the wake-up was sent: one per transaction still
        notified.add(key)
        if found is None:
            tracing.note_event("outbox record", {"event_id": str(envelope.event_id), "subject": envelope.subject})
        return found

    def _along_statement(
        self, table: Table, columns: tuple[str, ...], notify: bool, unless: Select | None
    ) -> Executable:
        """The row's INSERT, the event's and the wake-up as one statement taking every value as a parameter: the same
        object for every row of a shape, so SQLAlchemy neither rebuilds it nor recomputes its cache key, and its SQL
        text is the same each time (psycopg prepares it on the server). With ``unless``: both inserts only when it
        finds no row, and the statement's one row is the wake-up's column, then ``unless``'s (nulls when none)."""
        statement = self._along.get((table, columns, notify, unless))
        if statement is not None:
            return statement
        woken = (func.pg_notify(self.channel, "") if notify else func.now()).label("hub_woken")
        row_values = {name: bindparam(f"hub_row_{name}") for name in columns}
        event_values = {name: bindparam(f"hub_event_{name}") for name in _EVENT_PARAMS}
        if unless is None:
            row, event = table.insert().values(row_values), self.table.insert().values(event_values)
            statement = select(woken).add_cte(row.cte("hub_recorded_row"), event.cte("hub_recorded_event"))
        else:
            blocking = unless.cte("hub_blocking")
            free = ~exists(blocking.select())
            row = _insert_if(table, row_values, free)
            event = _insert_if(self.table, event_values, free)
            one = select(literal(1).label("one")).subquery("hub_one")
            statement = (
                select(woken, *blocking.c)
                .select_from(one.outerjoin(blocking, true()))
                .add_cte(blocking, row.cte("hub_recorded_row"), event.cte("hub_recorded_event"))
            )
        self._along[(table, columns, notify, unless)] = statement
        return statement


def _insert_if(table: Table, values: dict[str, BindParameter], condition) -> Insert:
    """INSERT INTO ``table`` … SELECT ``values`` WHERE ``condition``, the values typed as their columns."""
    typed = [bindparam(value.key, type_=table.c[name].type).label(name) for name, value in values.items()]
    return table.insert().from_select(list(values), select(*typed).where(condition))


def sent_before(table: Table, cutoff: datetime):
    return table.delete().where(table.c.sent_at.is_not(None), table.c.sent_at < cutoff)
