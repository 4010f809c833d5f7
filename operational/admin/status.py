"""What the system status page shows, each figure with the moment it was measured: the events waiting in every
service's outbox (the relay's backlog), the messages each durable consumer of the stream has not yet taken or acked,
the dead letters with their reasons, how old the serving snapshot is, and whether Postgres and NATS answer.

This module only reads: outbox tables through one counting query each, and JetStream's own stream and consumer
information. It never changes the relay or the consumers.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from nats.aio.client import Client as NATS
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import DEAD_LETTER_STREAM, STREAM_NAME
from messaging.consumer import REASON_HEADER

DEAD_LETTERS_SHOWN = 20


def _now() -> datetime:
    return datetime.now(UTC)


async def outbox_backlog(session: AsyncSession) -> list[dict[str, Any]]:
    """Per service with an outbox: events not yet published, the oldest one's age, and how many failed before."""
    from operational.registry import SERVICES  # the registry lists this service too: import when asked

    backlog = []
    for service in SERVICES:
        if service.outbox is None:
            continue
        table = service.outbox.table
        row = (
            await session.execute(
                text(
                    f"SELECT count(*), min(created_at), count(*) FILTER (WHERE attempts > 0) "
                    f'FROM "{table.schema}"."{table.name}" WHERE sent_at IS NULL'
                )
            )
        ).one()
        backlog.append(
            {
                "service": service.name,
                "waiting": row[0],
                "oldest_waiting_since": row[1],
                "failed_attempts": row[2],
                "measured_at": _now(),
            }
        )
    return backlog


async def stream_backlog(nc: NATS | None) -> dict[str, Any]:
    """The stream's consumers with what they have not yet taken (pending) or not yet acked, and the dead letters
    (the newest first, with their reasons)."""
    if nc is None or not nc.is_connected:
        return {
            "available": False,
            "consumers": [],
            "dead_letters": 0,
            "recent_dead_letters": [],
            "measured_at": _now(),
        }
    js = nc.jetstream()
    consumers = [
        {
            "consumer": info.name,
            "pending": info.num_pending or 0,
            "waiting_for_ack": info.num_ack_pending or 0,
            "redelivered": info.num_redelivered or 0,
            "measured_at": _now(),
        }
        for info in await js.consumers_info(STREAM_NAME)
    ]
    dead = await js.stream_info(DEAD_LETTER_STREAM)
    recent = []
    last, first = dead.state.last_seq or 0, dead.state.first_seq or 0
    for seq in range(last, max(first, last - DEAD_LETTERS_SHOWN + 1) - 1, -1):
        if seq <= 0:
            break
        with contextlib.suppress(Exception):  # a message removed between reading the state and fetching it
            msg = await js.get_msg(DEAD_LETTER_STREAM, seq)
            headers = msg.headers or {}
            recent.append(
                {
                    "subject": headers.get("Hub-Original-Subject", msg.subject),
                    "consumer": headers.get("Hub-Consumer"),
                    "reason": headers.get(REASON_HEADER, "no reason recorded"),
                    "dead_lettered_at": msg.time,
                }
            )
    return {
        "available": True,
        "consumers": sorted(consumers, key=lambda c: c["consumer"]),
        "dead_letters": dead.state.messages or 0,
        "recent_dead_letters": recent,
        "measured_at": _now(),
    }


def snapshot_freshness(published: datetime | None) -> dict[str, Any]:
    """When the current serving copy of the marts was published (``Warehouse.serving_published_at``) and how old it
    is."""
    measured = _now()
    if published is None:
        return {"published_at": None, "age_seconds": None, "measured_at": measured}
    return {
        "published_at": published,
        "age_seconds": int((measured - published).total_seconds()),
        "measured_at": measured,
    }


async def components(session: AsyncSession, nc: NATS | None, published: datetime | None) -> list[dict[str, Any]]:
    postgres_ok = True
    try:
        await session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        postgres_ok = False
    return [
        {"component": "Postgres", "healthy": postgres_ok, "measured_at": _now()},
        {"component": "NATS JetStream", "healthy": bool(nc and nc.is_connected), "measured_at": _now()},
        {
            "component": "Serving snapshot",
            "healthy": published is not None,
            "measured_at": _now(),
        },
    ]
