"""The warehouse port: what ingest, the pipeline and the stats API need of a warehouse, and the one place that picks
the adapter.

Two adapters implement it: DuckDB (the default, one file under var/, readers on serving snapshot files;
warehouse/duckdb_warehouse.py) and Postgres (``HUB_WAREHOUSE_URL=postgresql://…``: raw events loaded with COPY, dbt's
``postgres`` target, readers on a ``serving`` schema swapped atomically; warehouse/postgres_warehouse.py).
:func:`open_warehouse` reads the settings and nothing else in the project branches on the engine.

SQL handed to the port (``fetchall``, a reader's cursor) is written once for both: ``?`` placeholders, functions both
engines know, and mart tables named without a schema (each adapter's readers resolve them in the serving copy:
``marts`` in a snapshot file, the ``serving`` schema on Postgres).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

import duckdb
import psycopg
import pyarrow as pa

from contracts.envelope import EventEnvelope
from shared_settings import SharedSettings

POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")

# A query naming a relation the serving copy does not have (a mart added since it was published) raises one of these.
MISSING_RELATION_ERRORS: tuple[type[Exception], ...] = (duckdb.CatalogException, psycopg.errors.UndefinedTable)


class ServingCursor(Protocol):
    """A DB-API-like cursor on the serving copy of the marts; ``execute`` takes ``?`` placeholders and returns an
    object with ``fetchone``/``fetchall``."""

    description: Any

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Any: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...


class ServingReader(Protocol):
    """Hands out cursors on the newest complete serving copy; thread-safe; ``None`` before the first publish."""

    def cursor(self) -> ServingCursor | None: ...

    def close(self) -> None: ...


class WarehouseSession(Protocol):
    """One connection to the warehouse for a pipeline step (ingest, checks, serving)."""

    def ensure_raw_schema(self) -> None: ...

    def load_events(
        self,
        events: Sequence[EventEnvelope[Any]],
        *,
        load_id: str,
        stream_sequences: Mapping[str, int] | None = None,
        trace_ids: Mapping[str, str] | None = None,
    ) -> int:
        """Insert the events not yet in ``raw.events`` (idempotent on event_id); how many rows went in.
        ``stream_sequences`` and ``trace_ids`` (OpenTelemetry trace id, 32 hex digits) are keyed by event id."""
        ...

    def fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        """Run a statement that returns no rows (DDL, an insert or update), committed when it returns."""
        ...

    def frame(self, sql: str, parameters: Sequence[Any] = ()) -> pa.Table:
        """The query's rows as an Arrow table (columns named as the query names them)."""
        ...

    def mart_tables(self) -> list[str]:
        """Every table dbt built in the ``marts`` schema, as ``marts.<name>``, sorted."""
        ...

    def publish_serving(self, tables: Sequence[str], *, changed: Collection[str] | None = None) -> str:
        """Copy ``tables`` into a new serving copy and make it current atomically; where it went (for the run's
        metadata). ``changed``: the only tables that differ from the current copy's (None: unknown); an adapter may
        carry the others over instead of copying them again."""
        ...


class Warehouse(Protocol):
    engine: str

    def session(self) -> contextlib.AbstractContextManager[WarehouseSession]: ...

    def reader(self) -> ServingReader: ...

    def serving_published_at(self) -> datetime | None:
        """When the current serving copy was published; None before the first (the stats API is ready after it)."""
        ...

    def dbt_environment(self) -> dict[str, str]:
        """What dbt/profiles.yml reads to build on this warehouse (target and connection)."""
        ...

    def describe(self) -> str:
        """Where the warehouse is, without secrets (for logs)."""
        ...


def open_warehouse(settings: SharedSettings) -> Warehouse:
    """The warehouse the settings name: Postgres when HUB_WAREHOUSE_URL is set, else the DuckDB file.

    Raises ValueError for a HUB_WAREHOUSE_URL that is not a postgresql:// URL.
    """
    from warehouse.duckdb_warehouse import DuckDBWarehouse
    from warehouse.postgres_warehouse import PostgresWarehouse

    url = settings.warehouse_url
    if not url:
        return DuckDBWarehouse(settings.duckdb_path, settings.snapshots_dir)
    if not url.startswith(POSTGRES_SCHEMES):
        raise ValueError(
            f"HUB_WAREHOUSE_URL must be a postgresql:// URL (got {url.split('://')[0]}://…); "
            "leave it unset for the DuckDB file"
        )
    return PostgresWarehouse(url)


@contextlib.contextmanager
def serving_cursor(reader: ServingReader) -> Iterator[ServingCursor | None]:
    """A cursor from ``reader`` (None before the first publish), closed however the block ends."""
    cursor = reader.cursor()
    try:
        yield cursor
    finally:
        if cursor is not None:
            cursor.close()


def oldest_event_loaded(session: WarehouseSession, load_id: str) -> datetime | None:
    rows = session.fetchall("SELECT min(occurred_at) FROM raw.events WHERE load_id = ?", [load_id])
    return rows[0][0] if rows else None
