"""Serving snapshots: read-only copies of the marts that readers open without touching the writer's lock.

DuckDB allows one writer process or many readers, not both. After each build the pipeline copies the marts into a new
file and swaps the ``CURRENT`` pointer with an atomic rename; a reader always opens a complete snapshot and keeps it
until it notices a newer one. ``current.duckdb`` in the same directory is always the current snapshot (a hard link,
swapped atomically too): the one stable path for analysts and their tools.

A pass that rebuilt a few marts publishes a copy of the current snapshot file with those marts copied again
(``changed``): the tables it did not touch are the same bytes, and copying the file costs less than copying each
table (a fast-lane pass changes two marts of about forty; pipelines/lanes.py).

Each snapshot carries the marts' documentation: table and column comments (dbt's persist_docs) and the tables
``meta.tables`` and ``meta.columns``, so ``SELECT * FROM meta.columns`` explains every column.

An old snapshot is removed only when it is neither current nor among the newest ``keep``, was published more than
``grace_seconds`` ago (a reader may have read the pointer and not opened the file yet), and no process has it open:
every DuckDB reader holds a shared lock on the file it opened, which the removal probes for. A long query in
``hub sql`` or any DuckDB client keeps its snapshot for as long as it runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

POINTER = "CURRENT"
STABLE_NAME = "current.duckdb"
KEEP_SNAPSHOTS = 3
GRACE_SECONDS = 60.0
# Where unqualified names resolve on a reader's cursor: the marts, then the snapshot's own information.
SEARCH_PATH = "SET search_path = 'marts,main'"
# How serving copies are sorted (see _serving_order): club, then team, then player, then day.
SERVING_ORDER = ("org_id", "team_id", "player_id", "session_date", "metric_date", "wellness_date")


def publish_snapshot(
    source: duckdb.DuckDBPyConnection,
    serving_dir: Path,
    tables: Sequence[str],
    *,
    changed: Collection[str] | None = None,
    keep: int = KEEP_SNAPSHOTS,
    grace_seconds: float = GRACE_SECONDS,
) -> Path:
    """Copy ``tables`` ("schema.table") from ``source``, with their documentation, into a new snapshot file and make
    it current; then remove the old snapshots no one needs any more.

    ``changed``: the only tables that differ from the current snapshot's (None: unknown). When the current snapshot
    holds the same ``tables``, the new one starts as a copy of its file and only ``changed`` are copied again."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = serving_dir / f"snapshot-{stamp}-{uuid.uuid4().hex[:8]}.duckdb"
    alias = "snapshot_" + uuid.uuid4().hex[:8]
    previous = current_snapshot(serving_dir) if changed is not None else None
    if previous is not None:
        shutil.copyfile(previous, path)  # a published snapshot is never written again: its bytes are complete
    source.execute(f"ATTACH '{path}' AS {alias}")
    try:
        if previous is not None and _published_tables(source, alias) == list(tables):
            _copy_tables(source, alias, [t for t in tables if t in set(changed or ())], replace=True)
            source.execute(f"DROP TABLE {alias}.main.snapshot_info")
        else:
            if previous is not None:  # a different set of tables: start from an empty file
                source.execute(f"DETACH {alias}")
                path.unlink()
                source.execute(f"ATTACH '{path}' AS {alias}")
            _copy_tables(source, alias, tables, replace=False)
            _copy_docs(source, alias, tables)
        source.execute(
            f"CREATE TABLE {alias}.main.snapshot_info AS SELECT now() AS published_at, ? AS tables",
            [list(tables)],
        )
    finally:
        source.execute(f"DETACH {alias}")
    _point_to(serving_dir, path)
    _remove_old(serving_dir, keep=keep, grace_seconds=grace_seconds)
    return path


def _published_tables(source: duckdb.DuckDBPyConnection, alias: str) -> list[str]:
    rows = source.execute(f"SELECT tables FROM {alias}.main.snapshot_info").fetchall()
    return list(rows[0][0]) if rows else []


def _copy_tables(source: duckdb.DuckDBPyConnection, alias: str, tables: Sequence[str], *, replace: bool) -> None:
    """Copy ``tables`` into the attached snapshot, sorted for reads; ``replace``: over the copies it holds, whose
    table and column comments are copied again (a new table has none)."""
    for qualified in tables:
        schema, table = qualified.split(".")
        source.execute(f'CREATE SCHEMA IF NOT EXISTS {alias}."{schema}"')
        order = _serving_order(source, schema, table)
        source.execute(
            f'CREATE {"OR REPLACE " if replace else ""}TABLE {alias}."{schema}"."{table}" AS '
            f'SELECT * FROM "{schema}"."{table}"' + (f" ORDER BY {', '.join(order)}" if order else "")
        )
    if replace:
        _copy_comments(source, alias, _docs(source, tables))


def _serving_order(source: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    """The columns a serving copy is sorted by: those of ``SERVING_ORDER`` the table has, in that order.

    Every read filters by club and most by team or player; DuckDB keeps each row group's min and max per column
    and skips the groups a filter rules out, which pays only when the rows of one team lie together. Unsorted, a
    team board on a league of 100 teams read every row group of fct_player_daily_load (700 k rows)."""
    columns = {
        name
        for (name,) in source.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ? "
            "AND table_name = ?",
            [schema, table],
        ).fetchall()
    }
    return [f'"{column}"' for column in SERVING_ORDER if column in columns]


def _quoted(text: str | None) -> str:
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


def _docs(source: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> tuple[list[tuple], list[tuple]]:
    """The comments dbt left on ``tables`` and their columns: (schema, table, comment) and (schema, table, column,
    type, comment) rows."""
    table_docs = []
    column_docs = []
    for qualified in tables:
        schema, table = qualified.split(".")
        row = source.execute(
            "SELECT comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ? "
            "AND table_name = ?",
            [schema, table],
        ).fetchone()
        table_docs.append((schema, table, row[0] if row else None))
        column_docs += [
            (schema, table, *column)
            for column in source.execute(
                "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE database_name = current_database() "
                "AND schema_name = ? AND table_name = ? ORDER BY column_index",
                [schema, table],
            ).fetchall()
        ]
    return table_docs, column_docs


def _copy_comments(source: duckdb.DuckDBPyConnection, alias: str, docs: tuple[list[tuple], list[tuple]]) -> None:
    table_docs, column_docs = docs
    for schema, table, comment in table_docs:
        if comment:
            source.execute(f'COMMENT ON TABLE {alias}."{schema}"."{table}" IS {_quoted(comment)}')
    for schema, table, column, _, comment in column_docs:
        if comment:
            source.execute(f'COMMENT ON COLUMN {alias}."{schema}"."{table}"."{column}" IS {_quoted(comment)}')


def _copy_docs(source: duckdb.DuckDBPyConnection, alias: str, tables: Sequence[str]) -> None:
    """The comments dbt left on the tables and columns, on the copies too, and as two tables to query."""
    table_docs, column_docs = _docs(source, tables)
    _copy_comments(source, alias, (table_docs, column_docs))
    source.execute(f"CREATE SCHEMA {alias}.meta")
    source.execute(f"CREATE TABLE {alias}.meta.tables (table_schema VARCHAR, table_name VARCHAR, description VARCHAR)")
    source.execute(
        f"CREATE TABLE {alias}.meta.columns (table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, "
        "data_type VARCHAR, description VARCHAR)"
    )
    if table_docs:
        source.executemany(f"INSERT INTO {alias}.meta.tables VALUES (?, ?, ?)", table_docs)
    if column_docs:
        source.executemany(f"INSERT INTO {alias}.meta.columns VALUES (?, ?, ?, ?, ?)", column_docs)


def current_snapshot(serving_dir: Path) -> Path | None:
    try:
        name = (serving_dir / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = serving_dir / name
    return path if path.exists() else None


def stable_path(serving_dir: Path) -> Path:
    """``current.duckdb``: always the current snapshot, for analysts and their tools."""
    return serving_dir / STABLE_NAME


def _point_to(serving_dir: Path, path: Path) -> None:
    tmp = serving_dir / f".{POINTER}.{uuid.uuid4().hex}"
    tmp.write_text(path.name)
    # Both swaps are atomic renames: a reader opens the old snapshot or the new one, never half of either.
    link = serving_dir / f".{STABLE_NAME}.{uuid.uuid4().hex}"
    os.link(path, link)
    os.replace(link, stable_path(serving_dir))
    os.replace(tmp, serving_dir / POINTER)


def in_use(path: Path) -> bool:
    """Whether another process has the DuckDB file open: every DuckDB connection holds a lock on its file (shared
    for readers), which a non-blocking exclusive lock attempt runs into."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        return False
    finally:
        os.close(fd)  # also drops the probe's lock


def _remove_old(serving_dir: Path, *, keep: int, grace_seconds: float) -> None:
    snapshots = sorted(serving_dir.glob("snapshot-*.duckdb"))
    current = current_snapshot(serving_dir)
    now = time.time()
    for old in snapshots[:-keep] if keep else snapshots:
        with contextlib.suppress(FileNotFoundError):
            if old == current or now - old.stat().st_mtime < grace_seconds or in_use(old):
                continue
            old.unlink(missing_ok=True)
            Path(str(old) + ".wal").unlink(missing_ok=True)


class SnapshotReader:
    """Gives each caller a cursor on the newest snapshot; reopens when the pointer moves.

    Thread-safe: every call gets its own cursor (DuckDB cursors are separate connections to one database).
    """

    def __init__(self, serving_dir: Path):
        self.serving_dir = serving_dir
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._retired: list[duckdb.DuckDBPyConnection] = []

    def cursor(self) -> duckdb.DuckDBPyConnection | None:
        """A cursor on the current snapshot, or None while no snapshot has been published yet."""
        # Reading the tiny pointer file on every call costs microseconds and never misses a swap (mtimes can).
        path = current_snapshot(self.serving_dir)
        with self._lock:
            if path is not None and path != self._path:
                if self._conn is not None:
                    self._retired.append(self._conn)
                self._conn, self._path = duckdb.connect(str(path), read_only=True), path
                # Closing a connection closes its cursors, and a request may still be reading from the previous
                # snapshot; connections are closed two swaps later, long after any request on them has finished.
                while len(self._retired) > 2:
                    self._retired.pop(0).close()
            if self._conn is None:
                return None
            cursor = self._conn.cursor()
        # Readers name mart tables without a schema, as on every warehouse (warehouse/port.py)
        cursor.execute(SEARCH_PATH)
        return cursor

    @property
    def path(self) -> Path | None:
        return self._path

    def close(self) -> None:
        with self._lock:
            for conn in [*self._retired, self._conn]:
                if conn is not None:
                    conn.close()
            self._conn, self._retired = None, []
