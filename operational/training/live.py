"""Live session channel: a trainer watching a session sees, as it happens, who started, completed and logged RPE.

The updates travel as the kit's live updates (operational/kit/live.py): published to the NATS core subject
``hub.live.training.sessions.<session id>`` once the change that caused them has committed, and fanned out by every
API process to its own watchers, so a request that fails never shows watchers something that did not happen and
every replica's watchers see every change. Without NATS an update reaches only the watchers of the process that made
the change.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit import live


def session_topic(session_id: uuid.UUID) -> str:
    return f"training.sessions.{session_id}"


def listen(app: FastAPI, session_id: uuid.UUID) -> AbstractContextManager:
    """The updates of ``session_id`` for one watcher of ``app`` (a queue, while the block runs)."""
    return app.state.live.listen(session_topic(session_id))


def publish_after_commit(db: AsyncSession, session_id: uuid.UUID, update: dict) -> None:
    """Send ``update`` to the session's watchers in every API process when ``db``'s transaction commits."""
    live.publish_after_commit(db, session_topic(session_id), update)
