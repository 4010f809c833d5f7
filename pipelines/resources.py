"""Dagster resources: the NATS server the events come from and the DuckDB warehouse they go to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import dagster as dg
import duckdb
from nats.js import JetStreamContext

from operational.kit.nats import connect, ensure_streams


class NatsResource(dg.ConfigurableResource):
    """The NATS JetStream server carrying the HUB_EVENTS stream."""

    url: str

    @asynccontextmanager
    async def jetstream(self) -> AsyncIterator[JetStreamContext]:
        client = await connect(self.url, name="hub-pipelines")
        try:
            js = client.jetstream()
            await ensure_streams(js)
            yield js
        finally:
            await client.drain()


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse DuckDB file (one writer process) and the directory of serving snapshots."""

    duckdb_path: str
    serving_dir: str

    def connect(self) -> duckdb.DuckDBPyConnection:
        path = Path(self.duckdb_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path))

    @property
    def serving_path(self) -> Path:
        return Path(self.serving_dir)
