"""``hub worker``: the services' background work in one process (operational/worker.py) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable

from hub.components import WORKER_READY_MARKER
from messaging import tracing
from messaging.relay import OutboxRelay
from operational import worker
from operational.kit.config import HubSettings
from operational.registry import SERVICES


def _say(line: str) -> None:
    print(line, flush=True)


# A stop finishes or hands back the work in hand well within this (operational/worker.py); a process still running
# after it, on a machine too busy to let it finish, ends anyway: what it had not committed rolls back, and the
# messages it had not acked are delivered again.
STOP_DEADLINE_SECONDS = 4.0


def _end_process_after(seconds: float) -> None:
    def end() -> None:
        time.sleep(seconds)  # a deadline, not a wait for a condition: the condition is this process ending
        print(f"worker still stopping after {seconds:g}s; ending it", flush=True)
        os._exit(0)

    threading.Thread(target=end, name="stop deadline", daemon=True).start()


async def run_worker(settings: HubSettings, *, announce: Callable[[str], None] = _say) -> None:
    tracing.configure_tracing(settings, "hockey-hub-worker")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    stopping = threading.Event()

    def stop_soon(*_) -> None:
        # a plain signal handler runs at the main thread's next bytecode, even while the loop is busy with a batch,
        # so the deadline starts with the signal
        if not stopping.is_set():
            stopping.set()
            _end_process_after(STOP_DEADLINE_SECONDS)
            loop.call_soon_threadsafe(stop.set)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_soon)

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
