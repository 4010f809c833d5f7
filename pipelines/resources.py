"""Dagster resources: the NATS server the events come from and the warehouse they go to (the warehouse port's
adapter the settings pick: the DuckDB file and its serving snapshots, or Postgres).

One NATS connection serves the whole process, however many runs it executes: a connection per run meant a drain
per run, and draining a connection that had a pull subscription waited out nats-py's 30 s drain timeout
(``DrainTimeoutError``), which was most of a pass. The connection lives on an event loop of its own, in a daemon
thread, because Dagster steps are synchronous and a connection belongs to the loop that opened it; steps hand it
coroutines with :meth:`NatsResource.run`. :func:`close_nats_connections` closes it (the runner does, at exit).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import dagster as dg
import duckdb as duckdb_module
from dagster_duckdb import DuckDBResource
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from messaging.nats import connect, ensure_streams
from warehouse.config import WarehouseSettings
from warehouse.port import Warehouse, WarehouseSession, open_warehouse

log = logging.getLogger(__name__)

T = TypeVar("T")
# At exit, what is in flight gets this long to finish before the connection is closed anyway.
EXIT_DRAIN_SECONDS = 2.0


class _SharedConnection:
    """A NATS connection and the event loop (in its own thread) it runs on, opened on first use."""

    def __init__(self, url: str):
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=f"nats {url}", daemon=True)
        self.thread.start()
        self.client: NATS | None = None
        self._js: JetStreamContext | None = None
        self._opening = asyncio.Lock()

    async def jetstream(self) -> JetStreamContext:
        async with self._opening:
            if self.client is None or self.client.is_closed:
                self.client = await connect(self.url, name="hub-pipelines")
                self._js = self.client.jetstream()
                await ensure_streams(self._js)
            assert self._js is not None
            return self._js

    def run(self, work: Callable[[JetStreamContext], Awaitable[T]], timeout: float | None) -> T:
        async def call() -> T:
            return await work(await self.jetstream())

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout)

    def close(self, drain_seconds: float) -> None:
        async def shut() -> None:
            if self.client is None or self.client.is_closed:
                return
            try:
                await asyncio.wait_for(self.client.drain(), drain_seconds)
            except Exception:  # a slow drain must not hold up the exit
                log.info("closing the NATS connection without waiting for its drain", extra={"url": self.url})
            finally:
                if not self.client.is_closed:
                    await self.client.close()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shut(), self.loop).result(drain_seconds + 5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


_connections: dict[str, _SharedConnection] = {}
_connections_lock = threading.Lock()


def _shared(url: str) -> _SharedConnection:
    with _connections_lock:
        if url not in _connections:
            _connections[url] = _SharedConnection(url)
        return _connections[url]


def close_nats_connections(drain_seconds: float = EXIT_DRAIN_SECONDS) -> None:
    """Close every shared NATS connection of this process, each given ``drain_seconds`` to drain."""
    with _connections_lock:
        connections = list(_connections.values())
        _connections.clear()
    for connection in connections:
        connection.close(drain_seconds)


class NatsResource(dg.ConfigurableResource):
    """The NATS JetStream server carrying the HUB_EVENTS stream, reached through the process's one connection."""

    url: str

    def run(self, work: Callable[[JetStreamContext], Awaitable[T]], *, timeout: float | None = 300.0) -> T:
        """Run ``work(js)`` on the shared connection's loop and return its result (blocking the caller)."""
        return _shared(self.url).run(work, timeout)


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: ``url`` (HUB_WAREHOUSE_URL) when given, else the DuckDB file at ``duckdb_path`` whose serving
    snapshots go to ``serving_dir``; warehouse.port.open_warehouse decides which."""

    duckdb_path: str
    serving_dir: str
    url: str = ""

    @classmethod
    def from_settings(cls, settings: WarehouseSettings) -> WarehouseResource:
        return cls(
            duckdb_path=str(settings.duckdb_path),
            serving_dir=str(settings.snapshots_dir),
            url=settings.warehouse_url or "",
        )

    @property
    def warehouse(self) -> Warehouse:
        return open_warehouse(
            WarehouseSettings(
                warehouse_path=Path(self.duckdb_path),
                serving_dir=Path(self.serving_dir),
                warehouse_url=self.url or None,
            )
        )

    @contextlib.contextmanager
    def session(self) -> Iterator[WarehouseSession]:
        with self.warehouse.session() as session:
            yield session


@contextlib.contextmanager
def warehouse_connection(duckdb: DuckDBResource) -> Iterator[duckdb_module.DuckDBPyConnection]:
    """A connection on the warehouse file, whose directory is made on first use; closed however the block ends."""
    Path(duckdb.database).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.get_connection() as conn:
        try:
            yield conn
        finally:
            conn.close()  # DuckDBResource closes it only when the block succeeds, and an open one locks the file
