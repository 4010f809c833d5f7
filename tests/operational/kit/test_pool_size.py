"""HUB_DATABASE_POOL_SIZE sizes an API process's two pools, and they open no more connections than the budget
(hub/connections.py) counts for the process."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from sqlalchemy import text

from hub.settings import RuntimeSettings
from operational.kit.config import HubSettings
from shared_settings import connections_per_api_process


def test_every_process_reads_the_pool_size_from_one_variable(monkeypatch):
    monkeypatch.setenv("HUB_DATABASE_POOL_SIZE", "3")
    assert HubSettings().database_pool_size == 3
    assert RuntimeSettings().database_pool_size == 3
    monkeypatch.setenv("HUB_DATABASE_POOL_SIZE", "0")
    with pytest.raises(ValueError, match="HUB_DATABASE_POOL_SIZE"):
        HubSettings()


def test_an_api_opens_its_pools_at_the_set_size_and_no_more_connections_than_counted(settings):
    from operational.gateway import create_app

    app = create_app(settings.model_copy(update={"database_pool_size": 3}))

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            writes, reads = app.state.engine, app.state.read_engine
            assert writes.sync_engine.pool.size() == 3
            assert reads.sync_engine.pool.size() == 1
            async with contextlib.AsyncExitStack() as held:
                connections = [await held.enter_async_context(writes.connect()) for _ in range(6)]
                connections += [await held.enter_async_context(reads.connect()) for _ in range(2)]
                backends = {await conn.scalar(text("SELECT pg_backend_pid()")) for conn in connections}
                assert len(backends) == connections_per_api_process(3) == 8
                # both pools are at their limit: a further checkout waits for a connection to come back
                for engine in (writes, reads):
                    with pytest.raises(TimeoutError):
                        await asyncio.wait_for(engine.connect().__aenter__(), timeout=1)

    asyncio.run(scenario())
