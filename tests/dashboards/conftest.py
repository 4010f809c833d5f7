"""The dashboards against real APIs served over HTTP: the stats API on a real snapshot, and the gateway for logins."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from hub.embedded import free_port
from operational.stats.app import create_app
from operational.stats.config import StatsSettings
from tests.operational.stats.conftest import stats_club, stats_settings, warehouse  # noqa: F401 - shared fixtures


@contextlib.contextmanager
def served(app: FastAPI, *, timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a background thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the server on port {port} stopped while starting")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server on port {port} did not start within {timeout:.0f}s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


@pytest.fixture
def stats_url(stats_settings: StatsSettings) -> Iterator[str]:  # noqa: F811 - the imported fixture
    with served(create_app(stats_settings)) as url:
        yield url
