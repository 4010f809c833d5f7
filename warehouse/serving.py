"""Serving snapshots: read-only copies of the marts that readers open without touching the writer's lock.

DuckDB allows one writer process or many readers, not both. After each build the pipeline copies the marts into a new
file and swaps the ``CURRENT`` pointer with an atomic rename; a reader always opens a complete snapshot and keeps it
until it notices a newer one. Old snapshots are removed once several newer ones exist (an open handle keeps a
removed file readable on POSIX, so a slow reader never breaks).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

POINTER = "CURRENT"
KEEP_SNAPSHOTS = 3


def publish_snapshot(
    source: duckdb.DuckDBPyConnection, serving_dir: Path, tables: Sequence[str], *, keep: int = KEEP_SNAPSHOTS
) -> Path:
    """Copy ``tables`` ("schema.table") from ``source`` into a new snapshot file and make it current."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = serving_dir / f"snapshot-{stamp}-{uuid.uuid4().hex[:8]}.duckdb"
    alias = "snapshot_" + uuid.uuid4().hex[:8]
    source.execute(f"ATTACH '{path}' AS {alias}")
    try:
        for qualified in tables:
            schema, table = qualified.split(".")
            source.execute(f'CREATE SCHEMA IF NOT EXISTS {alias}."{schema}"')
            source.execute(f'CREATE TABLE {alias}."{schema}"."{table}" AS SELECT * FROM "{schema}"."{table}"')
        source.execute(
            f"CREATE TABLE {alias}.main.snapshot_info AS SELECT now() AS published_at, ? AS tables",
            [list(tables)],
        )
    finally:
        source.execute(f"DETACH {alias}")
    _point_to(serving_dir, path)
    _remove_old(serving_dir, keep=keep)
    return path


def current_snapshot(serving_dir: Path) -> Path | None:
    try:
        name = (serving_dir / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = serving_dir / name
    return path if path.exists() else None


def _point_to(serving_dir: Path, path: Path) -> None:
    tmp = serving_dir / f".{POINTER}.{uuid.uuid4().hex}"
    tmp.write_text(path.name)
    os.replace(tmp, serving_dir / POINTER)  # atomic on POSIX: readers see the old name or the new one


def _remove_old(serving_dir: Path, *, keep: int) -> None:
    snapshots = sorted(serving_dir.glob("snapshot-*.duckdb"))
    current = current_snapshot(serving_dir)
    for old in snapshots[:-keep]:
        if old != current:
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
            return self._conn.cursor() if self._conn is not None else None

    @property
    def path(self) -> Path | None:
        return self._path

    def close(self) -> None:
        with self._lock:
            for conn in [*self._retired, self._conn]:
                if conn is not None:
                    conn.close()
            self._conn, self._retired = None, []
