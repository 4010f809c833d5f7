"""Serve an ASGI app over real HTTP on a free loopback port, in a thread, with its lifespan (engine, NATS)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import uvicorn

from hub.embedded import free_port


@contextlib.contextmanager
def served(app, *, timeout: float = 30.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
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
