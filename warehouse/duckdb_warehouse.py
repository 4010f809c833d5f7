"""The DuckDB adapter of the warehouse port (the default): one file the pipeline writes, serving snapshot files that
readers open (warehouse/raw.py loads, warehouse/serving.py publishes and reads)."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from contracts.envelope import EventEnvelope
from warehouse.raw import ensure_raw_schema, load_events
from warehouse.serving import SnapshotReader, current_snapshot, publish_snapshot

MART_TABLES_SQL = """
SELECT table_name FROM information_schema.tables
WHERE table_catalog = current_database() AND table_schema = 'marts' AND table_type = 'BASE TABLE'
ORDER BY table_name
"""


class DuckDBSession:
    def __init__(self, conn: duckdb.DuckDBPyConnection, serving_dir: Path):
        self.conn = conn
        self.serving_dir = serving_dir

    def ensure_raw_schema(self) -> None:
        ensure_raw_schema(self.conn)

    def load_events(
        self,
        events: Sequence[EventEnvelope[Any]],
        *,
        load_id: str,
        stream_sequences: Mapping[str, int] | None = None,
        trace_ids: Mapping[str, str] | None = None,
    ) -> int:
        return load_events(self.conn, events, load_id=load_id, stream_sequences=stream_sequences, trace_ids=trace_ids)

    def fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, list(parameters)).fetchall()

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, list(parameters))

    def frame(self, sql: str, parameters: Sequence[Any] = ()) -> pa.Table:
        return self.conn.sql(sql, params=list(parameters)).fetch_arrow_table()

    def mart_tables(self) -> list[str]:
        return [f"marts.{name}" for (name,) in self.conn.execute(MART_TABLES_SQL).fetchall()]

    def publish_serving(self, tables: Sequence[str], *, changed: Collection[str] | None = None) -> str:
        return str(publish_snapshot(self.conn, self.serving_dir, tables, changed=changed))


class DuckDBWarehouse:
    engine = "duckdb"

    def __init__(self, path: Path, serving_dir: Path):
        self.path = path
        self.serving_dir = serving_dir

    @contextlib.contextmanager
    def session(self) -> Iterator[DuckDBSession]:
        """The writer's connection on the file (made on first use); closed however the block ends, since an open
        one locks the file against every other process."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(self.path))
        try:
            yield DuckDBSession(conn, self.serving_dir)
        finally:
            conn.close()

    def reader(self) -> SnapshotReader:
        return SnapshotReader(self.serving_dir)

    def serving_published_at(self) -> datetime | None:
        path = current_snapshot(self.serving_dir)
        return None if path is None else datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def dbt_environment(self) -> dict[str, str]:
        return {"HUB_DBT_TARGET": "duckdb", "HUB_WAREHOUSE_PATH": str(self.path)}

    def describe(self) -> str:
        return str(self.path)
