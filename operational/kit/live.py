"""Live updates: what a watcher sees as it happens (a trainer watching a session), in every API process alike.

A change publishes its update once its transaction has committed (:func:`publish_after_commit`), so a change that
rolls back is shown to nobody. The update goes to the NATS core subject ``live.<topic>``; every API process
holds one wildcard subscription (``live.>``, opened with the app's NATS connection) and fans what arrives out
to its own WebSocket watchers, so a watcher on one replica sees a change made through another.

Without NATS (not connected yet, or down) the API still works, but updates do not fan out across processes: an
update then reaches only the watchers of the process that made the change. Core NATS keeps nothing: a watcher that
is not connected misses updates and reads the current state again when it reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict

from fastapi import FastAPI
from nats.aio.client import Client as NATS
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.retry import keep_trying

log = logging.getLogger(__name__)

# Outside ``hub.>``: the events stream stores whatever is published under ``hub.``, and a live update is no event
# (the warehouse would dead-letter it, with whatever it says, and the stream would keep it for its whole retention).
LIVE_SUBJECT_PREFIX = "live."
SESSION_INFO_KEY = "live_updates"


class LiveUpdates:
    """One API process's watchers, by topic, and its way to every other process's watchers."""

    def __init__(self) -> None:
        self._listeners: dict[str, set[asyncio.Queue]] = defaultdict(set)
        self._nats: NATS | None = None
        self._sending: set[asyncio.Task] = set()

    @contextlib.contextmanager
    def listen(self, topic: str):
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        self._listeners[topic].add(queue)
        try:
            yield queue
        finally:
            self._listeners[topic].discard(queue)
            if not self._listeners[topic]:
                del self._listeners[topic]

    @property
    def following(self) -> bool:
        """Whether this process receives every process's updates (subscribed on a connected NATS)."""
        return self._nats is not None and self._nats.is_connected

    def deliver(self, topic: str, update: dict) -> None:
        """To this process's watchers of ``topic``."""
        for queue in list(self._listeners.get(topic, ())):
            with contextlib.suppress(asyncio.QueueFull):  # a stalled watcher misses updates, never blocks players
                queue.put_nowait(update)

    def send(self, topic: str, update: dict) -> None:
        """To every process's watchers of ``topic`` over NATS; to this process's only while NATS is unavailable."""
        nats = self._nats
        if nats is None or not self.following:
            self.deliver(topic, update)
            return
        task = asyncio.get_running_loop().create_task(
            nats.publish(LIVE_SUBJECT_PREFIX + topic, json.dumps(update).encode())
        )
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def follow(self, app: FastAPI) -> None:
        """Subscribe to every process's updates once ``app.state.nats`` is connected (runs with the app)."""

        async def on_message(msg) -> None:
            try:
                update = json.loads(msg.data)
            except ValueError:
                log.warning("ignored a malformed live update", extra={"subject": msg.subject})
                return
            self.deliver(msg.subject.removeprefix(LIVE_SUBJECT_PREFIX), update)

        while getattr(app.state, "nats", None) is None:
            await asyncio.sleep(0.1)

        async def subscribe() -> None:
            nats: NATS = app.state.nats
            await nats.subscribe(LIVE_SUBJECT_PREFIX + ">", cb=on_message)
            await nats.flush()  # the server knows the subscription before this process sends through NATS
            self._nats = nats

        await keep_trying("cannot follow live updates yet; retrying", subscribe)


def publish_after_commit(db: AsyncSession, topic: str, update: dict) -> None:
    """Send ``update`` to ``topic``'s watchers when ``db``'s transaction commits (never if it rolls back).

    Sessions of an API carry its :class:`LiveUpdates` (``session.info``); elsewhere (the worker) nobody watches."""
    live: LiveUpdates | None = db.info.get(SESSION_INFO_KEY)
    if live is None:
        return

    pending = True

    def send(_session) -> None:
        if pending:
            live.send(topic, update)

    def forget(_session) -> None:
        nonlocal pending
        pending = False  # rolled back: a session used again must not send it with its next commit

    event.listen(db.sync_session, "after_commit", send, once=True)
    event.listen(db.sync_session, "after_rollback", forget, once=True)
