"""NATS JetStream connection and the two streams every part of the system relies on."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from contracts.envelope import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM, STREAM_NAME, STREAM_SUBJECTS
from contracts.private import PRIVATE_MAX_AGE_SECONDS, PRIVATE_STREAM, PRIVATE_SUBJECTS

log = logging.getLogger(__name__)

# JetStream suppresses a second publish with the same Nats-Msg-Id inside this window; a relay restarted after a
# crash between publish and mark-sent re-publishes well within it. Consumers are idempotent beyond it.
DUPLICATE_WINDOW_SECONDS = 15 * 60


async def connect(url: str, *, name: str) -> NATS:
    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
        allow_reconnect=True,
    )


# A stopping process gives in-flight publishes and acks this long to reach the server, never nats-py's default 30 s
# drain timeout (which a pull subscription's drain can wait out in full).
CLOSE_DRAIN_SECONDS = 1.0


async def close(nc: NATS, *, drain_seconds: float = CLOSE_DRAIN_SECONDS) -> None:
    """Drain ``nc`` for at most ``drain_seconds``, then close it whatever the drain's state; never raises."""
    if nc.is_closed:
        return
    try:
        await asyncio.wait_for(nc.drain(), drain_seconds)
    except Exception as exc:  # a slow or failed drain must not hold up a stop
        log.info("closing the NATS connection without a complete drain", extra={"error": repr(exc)})
    finally:
        if not nc.is_closed:
            with contextlib.suppress(Exception):
                await nc.close()


def events_stream_config() -> StreamConfig:
    return StreamConfig(
        name=STREAM_NAME,
        subjects=STREAM_SUBJECTS,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=0,
    )


def dead_letter_stream_config() -> StreamConfig:
    return StreamConfig(
        name=DEAD_LETTER_STREAM,
        subjects=[DEAD_LETTER_PREFIX + ">"],
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
    )


def private_stream_config() -> StreamConfig:
    """Private messages between services (contracts/private.py): never ingested, kept a short while only."""
    return StreamConfig(
        name=PRIVATE_STREAM,
        subjects=PRIVATE_SUBJECTS,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=PRIVATE_MAX_AGE_SECONDS,
    )


async def ensure_streams(js: JetStreamContext) -> None:
    """Create the event, dead-letter and private streams if they are missing (safe to call from every process)."""
    for config in (events_stream_config(), dead_letter_stream_config(), private_stream_config()):
        try:
            await js.stream_info(config.name)
        except NotFoundError:
            await js.add_stream(config)
            log.info("created stream", extra={"stream": config.name})
