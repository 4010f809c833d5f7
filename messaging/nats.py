"""NATS JetStream connection and the two streams every part of the system relies on.

A deployment names one server (the embedded one) or every server of a cluster, comma-separated in HUB_NATS_URL
(``nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222``): the client starts with any of them and moves to
another when its server goes away. The streams keep HUB_NATS_STREAM_REPLICAS copies (1 on a single server, 3 in a
three-server cluster, so a write acknowledged by the stream survives the loss of any one server).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import replace

import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from contracts.envelope import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM, STREAM_NAME, STREAM_SUBJECTS
from contracts.private import PRIVATE_MAX_AGE_SECONDS, PRIVATE_STREAM, PRIVATE_SUBJECTS
from shared_settings import SharedSettings

log = logging.getLogger(__name__)

# JetStream suppresses a second publish with the same Nats-Msg-Id inside this window. The relay re-publishes only
# what it published but had not yet marked sent when it stopped, as soon as it runs again: `hub up` restarts it within
# seconds (4.5 s at most in `python -m bench faults`). Consumers are idempotent on event_id beyond the window, so the
# window only saves them work. The server keeps every id of the window in memory (event rate x window), which is why
# it is JetStream's own default of two minutes and not longer: with 15 minutes a nats-server's memory grew through
# the whole ten-minute soak.
DUPLICATE_WINDOW_SECONDS = 2 * 60


def server_urls(url: str | Sequence[str]) -> list[str]:
    """The servers named by ``url``: one URL, several comma-separated (HUB_NATS_URL), or a list of either.

    >>> server_urls("nats://a:4222, nats://b:4222")
    ['nats://a:4222', 'nats://b:4222']
    """
    parts = [url] if isinstance(url, str) else list(url)
    servers = [server.strip() for part in parts for server in part.split(",") if server.strip()]
    if not servers:
        raise ValueError("no NATS server given (HUB_NATS_URL is empty)")
    return servers


async def connect(url: str | Sequence[str], *, name: str) -> NATS:
    """Connect to the first server of ``url`` that answers (see :func:`server_urls`); on losing it, reconnect to
    any server of the list, or of the cluster that server announced, for as long as the process lives."""
    return await nats.connect(
        server_urls(url),
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


def events_stream_config(replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=STREAM_NAME,
        num_replicas=replicas,
        subjects=STREAM_SUBJECTS,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=0,
    )


def dead_letter_stream_config(replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=DEAD_LETTER_STREAM,
        num_replicas=replicas,
        subjects=[DEAD_LETTER_PREFIX + ">"],
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        # said outright: nats-py's default of 0 means "the server's" (also 120 s), which never equals what the server
        # reports, so ensure_streams would update the stream on every start of every process
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


def private_stream_config(replicas: int = 1) -> StreamConfig:
    """Private messages between services (contracts/private.py): never ingested, kept a short while only."""
    return StreamConfig(
        name=PRIVATE_STREAM,
        num_replicas=replicas,
        subjects=PRIVATE_SUBJECTS,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=PRIVATE_MAX_AGE_SECONDS,
    )


def stream_replicas() -> int:
    """HUB_NATS_STREAM_REPLICAS of this process's environment (1 unless set)."""
    return SharedSettings().nats_stream_replicas


async def ensure_streams(js: JetStreamContext, *, replicas: int | None = None) -> None:
    """Create the event, dead-letter and private streams if they are missing, each with ``replicas`` copies (default:
    the environment's HUB_NATS_STREAM_REPLICAS); a stream that has another replica count is moved to ``replicas`` (a
    cluster grows a stream created on R1 to R3), and one with another duplicate window is given this release's.
    Safe to call from every process.

    Raises nats.js.errors.BadRequestError when the servers cannot hold that many copies (more replicas than
    servers, or more than one on a server that is not clustered)."""
    replicas = stream_replicas() if replicas is None else replicas
    for config in (
        events_stream_config(replicas),
        dead_letter_stream_config(replicas),
        private_stream_config(replicas),
    ):
        try:
            info = await js.stream_info(config.name)
        except NotFoundError:
            await js.add_stream(config)
            log.info("created stream", extra={"stream": config.name, "replicas": replicas})
            continue
        changes = {}
        if info.config.num_replicas != replicas:
            changes["num_replicas"] = replicas
        if config.duplicate_window is not None and info.config.duplicate_window != config.duplicate_window:
            changes["duplicate_window"] = config.duplicate_window  # a stream made by an earlier release
        if changes:
            await js.update_stream(replace(info.config, **changes))
            log.info("changed the stream's configuration", extra={"stream": config.name, **changes})
