"""Live session channel: a trainer watching a session sees, as it happens, who started, completed and logged RPE.

Updates are fanned out in this process (the embedded gateway runs the training service in one process); several
replicas would relay them over NATS core subjects instead. An update is sent once the change that caused it has
committed: a request that fails never shows watchers something that did not happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession


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

    def publish_after_commit(self, db: AsyncSession, session_id: uuid.UUID, update: dict) -> None:
        """Send ``update`` to the session's watchers when ``db``'s transaction commits (never if it rolls back)."""

        def send(_session) -> None:
            self.publish(session_id, update)

        event.listen(db.sync_session, "after_commit", send, once=True)


live_sessions = LiveSessions()
