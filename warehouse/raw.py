"""The raw layer: every event exactly as it travelled, one row per ``event_id``.

A row's ``data`` is the payload the contract check read, encoded again from the decoded document, not cut out of the
body as it travelled: a key given twice in a body is read as its last copy by the check (orjson, as pydantic) and as
its first by the warehouse's JSON functions, so a payload outside the contract could land unchecked.

Loading is idempotent because delivery is at least once: a batch is de-duplicated on ``event_id`` and the primary key
on ``event_id`` refuses a row already there, so a redelivered or replayed event never makes a second row. A batch goes
in as one Arrow table and one plain INSERT, which is what keeps DuckDB fast; only when that INSERT fails (the key
refuses a row, or the table is missing or older than this code) is it rolled back and the batch inserted again where
its ids are not in the table yet. That anti-join reads every ``event_id`` in the table, so it grows with the table
(a 1,000-event batch at 1 M rows: 25-39 ms, against 10 ms for the plain INSERT, whose key check barely grows;
``python -m bench ingest_batch``): only a batch that holds a redelivery pays it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import duckdb
import orjson
import pyarrow as pa

from contracts.envelope import SUBJECT_PREFIX, EventEnvelope

RAW_EVENTS_DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.events (
    event_id VARCHAR PRIMARY KEY,
    type VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    subject VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    org_id VARCHAR NOT NULL,
    actor_id VARCHAR,
    subject_id VARCHAR,
    correlation_id VARCHAR,
    data JSON NOT NULL,
    stream_sequence BIGINT,
    loaded_at TIMESTAMPTZ NOT NULL,
    load_id VARCHAR NOT NULL,
    trace_id VARCHAR
);
-- warehouses made before the trace id was kept
ALTER TABLE raw.events ADD COLUMN IF NOT EXISTS trace_id VARCHAR;
"""

RAW_EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("type", pa.string()),
        ("version", pa.int32()),
        ("subject", pa.string()),
        ("occurred_at", pa.timestamp("us", tz="UTC")),
        ("org_id", pa.string()),
        ("actor_id", pa.string()),
        ("subject_id", pa.string()),
        ("correlation_id", pa.string()),
        ("data", pa.string()),
        ("stream_sequence", pa.int64()),
        ("loaded_at", pa.timestamp("us", tz="UTC")),
        ("load_id", pa.string()),
        ("trace_id", pa.string()),
    ]
)

# The Arrow table is registered under this name for the length of one INSERT.
_INCOMING = "incoming_raw_events"

_INSERT_EVENTS = f"""
INSERT INTO raw.events
SELECT incoming.event_id, incoming.type, incoming.version, incoming.subject, incoming.occurred_at,
       incoming.org_id, incoming.actor_id, incoming.subject_id, incoming.correlation_id,
       CAST(incoming.data AS JSON), incoming.stream_sequence, incoming.loaded_at, incoming.load_id,
       incoming.trace_id
FROM {_INCOMING} AS incoming
"""
_INSERT_NEW_EVENTS = (
    _INSERT_EVENTS
    + "WHERE NOT EXISTS (SELECT 1 FROM raw.events AS existing WHERE existing.event_id = incoming.event_id)\n"
)
# What a plain INSERT raises when the checked one may succeed: the key refused a row already loaded, or the table is
# missing or lacks a column (a warehouse made before it was added), which ensure_raw_schema mends.
_RETRY_CHECKED = (duckdb.ConstraintException, duckdb.CatalogException, duckdb.BinderException)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(RAW_EVENTS_DDL)


class RawEvent(NamedTuple):
    """One event as the columns of its row: ids as canonical text (lower-case, hyphenated), ``occurred_at`` aware,
    ``data`` the payload as JSON text. What ingest makes of a message it checked without a model
    (contracts/checks.py); :func:`raw_event` makes one of a parsed event."""

    event_id: str
    type: str
    version: int
    subject: str
    occurred_at: datetime
    org_id: str
    actor_id: str | None
    subject_id: str | None
    correlation_id: str | None
    data: str | bytes


def raw_event(event: EventEnvelope[Any]) -> RawEvent:
    return RawEvent(
        str(event.event_id),
        event.type,
        event.version,
        event.subject,
        event.occurred_at,
        str(event.org_id),
        _str_or_none(event.actor_id),
        _str_or_none(event.subject_id),
        event.correlation_id,
        event.data.model_dump_json(),
    )


def raw_event_of_document(document: dict[str, Any]) -> RawEvent:
    """The row of an event document already checked against its contract (contracts/checks.py), so every field is
    there with its type; ``data`` is re-encoded compactly, as a producer's pydantic writes it (see the module's
    docstring for why not the body as it travelled). Raises ValueError for a time Python does not read (then parse the
    event with pydantic instead)."""
    return RawEvent(
        canonical_uuid(document["event_id"]),
        document["type"],
        document["version"],
        SUBJECT_PREFIX + document["type"],
        datetime.fromisoformat(document["occurred_at"]),
        canonical_uuid(document["org_id"]),
        canonical_uuid(document.get("actor_id")),
        canonical_uuid(document.get("subject_id")),
        document.get("correlation_id"),
        orjson.dumps(document["data"]),
    )


def canonical_uuid(text: str | None) -> str | None:
    """``str(uuid.UUID(text))`` without the object when ``text`` already is canonical, as every producer writes it:
    the raw layer is idempotent on the text of ``event_id``."""
    if text is None or (len(text) == 36 and text == text.lower()):
        return text
    return str(uuid.UUID(text))


def events_to_arrow(
    events: Sequence[EventEnvelope[Any] | RawEvent],
    *,
    load_id: str,
    stream_sequences: Mapping[str, int] | None = None,
    loaded_at: datetime | None = None,
    trace_ids: Mapping[str, str] | None = None,
) -> pa.Table:
    """One Arrow table for the batch, keeping the first copy of each ``event_id``.

    ``stream_sequences`` and ``trace_ids`` (the OpenTelemetry trace of the write that made the event, 32 hex digits)
    are keyed by event id; an event missing from them gets NULL."""
    sequences = stream_sequences or {}
    traces = trace_ids or {}
    loaded_at = loaded_at or datetime.now(UTC)
    unique: dict[str, RawEvent] = {}
    for event in events:
        row = event if isinstance(event, RawEvent) else raw_event(event)
        unique.setdefault(row.event_id, row)
    count = len(unique)
    # one transposition in C instead of a list comprehension per column
    transposed = zip(*unique.values(), strict=True) if count else ([] for _ in RawEvent._fields)
    columns: dict[str, Any] = dict(zip(RawEvent._fields, transposed, strict=True))
    columns["stream_sequence"] = [sequences.get(event_id) for event_id in unique] if sequences else [None] * count
    # the batch's constants as Arrow columns made in Arrow, without a Python object a row to convert
    columns["loaded_at"] = pa.repeat(pa.scalar(loaded_at, RAW_EVENTS_SCHEMA.field("loaded_at").type), count)
    columns["load_id"] = pa.repeat(pa.scalar(load_id, pa.string()), count)
    columns["trace_id"] = [traces.get(event_id) for event_id in unique] if traces else pa.nulls(count, pa.string())
    return pa.table({name: columns[name] for name in RAW_EVENTS_SCHEMA.names}, schema=RAW_EVENTS_SCHEMA)


def load_events(
    conn: duckdb.DuckDBPyConnection,
    events: Sequence[EventEnvelope[Any] | RawEvent],
    *,
    load_id: str | None = None,
    stream_sequences: Mapping[str, int] | None = None,
    trace_ids: Mapping[str, str] | None = None,
) -> int:
    """Insert the events not yet in ``raw.events``; return how many rows were inserted."""
    if not events:
        return 0
    table = events_to_arrow(
        events, load_id=load_id or str(uuid.uuid4()), stream_sequences=stream_sequences, trace_ids=trace_ids
    )
    conn.register(_INCOMING, table)
    try:
        try:
            return _insert_in_transaction(conn, _INSERT_EVENTS)
        except _RETRY_CHECKED:
            # rolled back whole: now only the rows whose ids are not loaded yet, on a table made current
            return _insert_in_transaction(conn, _INSERT_NEW_EVENTS, ensure_schema=True)
    finally:
        conn.unregister(_INCOMING)


def _insert_in_transaction(conn: duckdb.DuckDBPyConnection, insert: str, *, ensure_schema: bool = False) -> int:
    conn.execute("BEGIN TRANSACTION")
    try:
        if ensure_schema:
            ensure_raw_schema(conn)
        inserted = conn.execute(insert).fetchone()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return int(inserted[0]) if inserted else 0


def _str_or_none(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)
