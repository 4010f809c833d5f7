"""``hub worker``: the services' background work in one process (operational/worker.py) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from hub.components import WORKER_READY_MARKER
from messaging.relay import OutboxRelay
from operational import worker
from operational.kit.config import HubSettings
from operational.registry import SERVICES


def _say(line: str) -> None:
    print(line, flush=True)


async def run_worker(settings: HubSettings, *, announce: Callable[[str], None] = _say) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    def ready(relays: list[OutboxRelay]) -> None:
        outboxes = ", ".join(f"{relay.table.schema}.{relay.table.name}" for relay in relays)
        consumers = ", ".join(s.name for s in SERVICES if s.consumers) or "none"
        jobs = len(worker.periodic_jobs())
        announce(
            f"{WORKER_READY_MARKER}: publishing {outboxes} to {settings.nats_url}; consumers: {consumers}; "
            f"{jobs} periodic jobs"
        )

    relays = await worker.run(settings, stop, on_ready=ready)
    announce(f"worker stopped after publishing {sum(r.published_total for r in relays)} events")
