"""The Postgres adapter of the warehouse port (``HUB_WAREHOUSE_URL=postgresql://…``).

- Raw events: each batch is COPYed into a temporary table and inserted with ``ON CONFLICT (event_id) DO NOTHING`` in
  one transaction, so a redelivered or replayed event never makes a second row (the same guarantee as DuckDB's
  load, warehouse/raw.py), and concurrent loads cannot race each other into a duplicate. The conflict check is a
  probe of the primary key's index, so a batch's cost stays flat as the table grows (``python -m bench ingest_batch
  --postgres``).
- dbt builds the marts into the ``marts`` schema with its ``postgres`` target (dbt/profiles.yml, fed by
  :meth:`PostgresWarehouse.dbt_environment`).
- Serving: the marts are copied (with their comments, constraints and indexes) into a new schema, which then takes
  the name ``serving`` in one transaction (``ALTER SCHEMA … RENAME``), so a reader sees the previous build or the new
  one, never half of either. The schema it replaced is dropped afterwards, once no reader holds its tables.
- Readers: a psycopg pool whose connections resolve unqualified names in ``serving``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import psycopg
import pyarrow as pa
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from contracts.envelope import EventEnvelope
from warehouse.raw import RAW_EVENTS_SCHEMA, events_to_arrow

log = logging.getLogger(__name__)

SERVING_SCHEMA = "serving"
RETIRED_PREFIX = "serving_retired_"
BUILD_PREFIX = "serving_build_"
# How long dropping a replaced serving schema waits for readers still on it; after that it is left for the next
# publish to drop.
RETIRE_LOCK_TIMEOUT = "2s"
# Serialises publishers (two pipeline processes on one warehouse): key of a transaction-level advisory lock.
PUBLISH_LOCK_KEY = 0x4855425356  # "HUBSV"
POOL_MAX_SIZE = 8

RAW_EVENTS_DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.events (
    event_id varchar PRIMARY KEY,
    type varchar NOT NULL,
    version integer NOT NULL,
    subject varchar NOT NULL,
    occurred_at timestamptz NOT NULL,
    org_id varchar NOT NULL,
    actor_id varchar,
    subject_id varchar,
    correlation_id varchar,
    data jsonb NOT NULL,
    stream_sequence bigint,
    loaded_at timestamptz NOT NULL,
    load_id varchar NOT NULL,
    trace_id varchar
);
-- warehouses made before the trace id was kept
ALTER TABLE raw.events ADD COLUMN IF NOT EXISTS trace_id varchar;
CREATE INDEX IF NOT EXISTS events_load_id ON raw.events (load_id);
"""

_COLUMNS = RAW_EVENTS_SCHEMA.names
_COPY_INCOMING = f"COPY incoming_raw_events ({', '.join(_COLUMNS)}) FROM STDIN"
_INSERT_NEW_EVENTS = (
    f"INSERT INTO raw.events ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} FROM incoming_raw_events "
    "ON CONFLICT (event_id) DO NOTHING"
)

# A ? outside quotes and comments becomes %s; every % becomes %% (psycopg reads placeholders everywhere, quotes too).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%")


def pyformat(query: str) -> str:
    """``query`` with DuckDB's ``?`` placeholders written as psycopg's ``%s``."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else token.replace("%", "%%")

    return _TOKENS.sub(replace, query)


def libpq_url(url: str) -> str:
    """The URL as libpq takes it (SQLAlchemy's ``postgresql+psycopg://`` spelled ``postgresql://``)."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)


class PostgresSession:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def ensure_raw_schema(self) -> None:
        self.conn.execute(RAW_EVENTS_DDL)

    def load_events(
        self,
        events: Sequence[EventEnvelope[Any]],
        *,
        load_id: str,
        stream_sequences: Mapping[str, int] | None = None,
        trace_ids: Mapping[str, str] | None = None,
    ) -> int:
        if not events:
            return 0
        table = events_to_arrow(events, load_id=load_id, stream_sequences=stream_sequences, trace_ids=trace_ids)
        columns = [table.column(name).to_pylist() for name in _COLUMNS]
        with self.conn.transaction():
            self.conn.execute(RAW_EVENTS_DDL)
            self.conn.execute(
                "CREATE TEMP TABLE incoming_raw_events (LIKE raw.events INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            with self.conn.cursor().copy(_COPY_INCOMING) as copy:
                for row in zip(*columns, strict=True):
                    copy.write_row(row)
            inserted = self.conn.execute(_INSERT_NEW_EVENTS).rowcount
        return max(inserted, 0)

    def fetchall(self, query: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(pyformat(query), list(parameters)).fetchall()

    def execute(self, query: str, parameters: Sequence[Any] = ()) -> None:
        self.conn.execute(pyformat(query), list(parameters))

    def frame(self, query: str, parameters: Sequence[Any] = ()) -> pa.Table:
        cursor = self.conn.execute(pyformat(query), list(parameters))
        names = [column.name for column in cursor.description or []]
        rows = cursor.fetchall()
        return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})

    def mart_tables(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return [f"marts.{name}" for (name,) in rows]

    def publish_serving(self, tables: Sequence[str], *, changed: Collection[str] | None = None) -> str:
        # every table is copied whatever ``changed`` says: the new schema is built whole, then swapped in
        build = BUILD_PREFIX + uuid.uuid4().hex[:12]
        retired = RETIRED_PREFIX + uuid.uuid4().hex[:12]
        with self.conn.transaction():
            self.conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(build)))
            for qualified in tables:
                schema, name = qualified.split(".")
                source = sql.Identifier(schema, name)
                target = sql.Identifier(build, name)
                self.conn.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(target, source))
                self.conn.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(target, source))
            self.conn.execute(
                sql.SQL("CREATE TABLE {} AS SELECT now() AS published_at, %s::text[] AS tables").format(
                    sql.Identifier(build, "snapshot_info")
                ),
                [list(tables)],
            )
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK_KEY])
            if self._serving_exists():
                self.conn.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                        sql.Identifier(SERVING_SCHEMA), sql.Identifier(retired)
                    )
                )
            self.conn.execute(
                sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(build), sql.Identifier(SERVING_SCHEMA))
            )
        self._drop_retired()
        return f"schema {SERVING_SCHEMA} ({len(tables)} tables)"

    def _serving_exists(self) -> bool:
        row = self.conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SERVING_SCHEMA]).fetchone()
        return row is not None

    def _drop_retired(self) -> None:
        """Drop the schemas earlier swaps replaced, each as soon as no reader holds its tables."""
        names = self.conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s OR nspname LIKE %s",
            [RETIRED_PREFIX + "%", BUILD_PREFIX + "%"],
        ).fetchall()
        for (name,) in names:
            try:
                with self.conn.transaction():
                    self.conn.execute(f"SET LOCAL lock_timeout = '{RETIRE_LOCK_TIMEOUT}'")
                    self.conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))
            except (psycopg.errors.LockNotAvailable, psycopg.errors.InvalidSchemaName):
                log.info("serving schema still in use; dropped on a later publish", extra={"schema": name})


class PostgresServingCursor:
    """A pooled connection's cursor taking ``?`` placeholders; ``close`` gives the connection back."""

    def __init__(self, pool: ConnectionPool, conn: psycopg.Connection):
        self._pool, self._conn = pool, conn
        self._cursor = conn.cursor()

    @property
    def description(self) -> Any:
        return self._cursor.description

    def execute(self, query: str, parameters: Sequence[Any] | None = None) -> PostgresServingCursor:
        self._cursor.execute(pyformat(query), list(parameters or []))
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    def close(self) -> None:
        self._cursor.close()
        self._pool.putconn(self._conn)


class PostgresServingReader:
    """Cursors on the ``serving`` schema from a pool; None while no build has been published yet."""

    def __init__(self, url: str, *, max_size: int = POOL_MAX_SIZE):
        self._pool = ConnectionPool(
            libpq_url(url),
            min_size=1,
            max_size=max_size,
            # Autocommit: a reader's query never holds a lock past its statement, so a publish's drop of the
            # replaced schema waits only for queries in flight. No server-side prepared statements across swaps.
            kwargs={"autocommit": True, "prepare_threshold": None, "options": f"-c search_path={SERVING_SCHEMA}"},
            open=False,
            name="hub-serving",
        )
        self._pool.open(wait=False)

    def cursor(self) -> PostgresServingCursor | None:
        conn = self._pool.getconn()
        try:
            published = conn.execute("SELECT to_regclass('snapshot_info') IS NOT NULL").fetchone()
        except BaseException:
            self._pool.putconn(conn)
            raise
        if not (published and published[0]):
            self._pool.putconn(conn)
            return None
        return PostgresServingCursor(self._pool, conn)

    def close(self) -> None:
        self._pool.close()


class PostgresWarehouse:
    engine = "postgres"

    def __init__(self, url: str):
        self.url = libpq_url(url)

    @contextlib.contextmanager
    def session(self) -> Iterator[PostgresSession]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            yield PostgresSession(conn)

    def reader(self) -> PostgresServingReader:
        return PostgresServingReader(self.url)

    def serving_published_at(self) -> datetime | None:
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT to_regclass(%s)", [f"{SERVING_SCHEMA}.snapshot_info"]).fetchone() == (None,):
                return None
            row = conn.execute(
                sql.SQL("SELECT max(published_at) FROM {}").format(sql.Identifier(SERVING_SCHEMA, "snapshot_info"))
            ).fetchone()
        return row[0] if row else None

    def dbt_environment(self) -> dict[str, str]:
        """dbt/profiles.yml's postgres output from the URL (a Unix socket directory is libpq's host too)."""
        parts = conninfo_to_dict(self.url)
        return {
            "HUB_DBT_TARGET": "postgres",
            "HUB_WAREHOUSE_PG_HOST": str(parts.get("host") or "localhost"),
            "HUB_WAREHOUSE_PG_PORT": str(parts.get("port") or 5432),
            "HUB_WAREHOUSE_PG_USER": str(parts.get("user") or "postgres"),
            "HUB_WAREHOUSE_PG_PASSWORD": str(parts.get("password") or ""),
            "HUB_WAREHOUSE_PG_DATABASE": str(parts.get("dbname") or "postgres"),
        }

    def describe(self) -> str:
        parts = conninfo_to_dict(self.url)
        return f"postgresql://{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}/{parts.get('dbname')}"
