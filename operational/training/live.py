"""Live session channel: a trainer watching a session sees, as it happens, who started, completed and logged RPE.

Updates are fanned out in this process (the embedded gateway runs the training service in one process); several
replicas would relay them over NATS core subjects instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict


class LiveSessions:
    def __init__(self) -> None:
        self._listeners: dict[uuid.UUID, set[asyncio.Queue]] = defaultdict(set)

    @contextlib.contextmanager
    def listen(self, session_id: uuid.UUID):
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        self._listeners[session_id].add(queue)
        try:
            yield queue
        finally:
            self._listeners[session_id].discard(queue)
            if not self._listeners[session_id]:
                del self._listeners[session_id]

    def publish(self, session_id: uuid.UUID, update: dict) -> None:
        for queue in list(self._listeners.get(session_id, ())):
            with contextlib.suppress(asyncio.QueueFull):  # a stalled watcher misses updates, never blocks players
                queue.put_nowait(update)


live_sessions = LiveSessions()
