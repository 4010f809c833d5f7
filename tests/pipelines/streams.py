"""Putting events on the session's NATS stream as the outbox relay does, and reading what was dead-lettered."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from contracts.envelope import DEAD_LETTER_STREAM, EventEnvelope
from messaging.nats import connect


def publish(url: str, events: Sequence[EventEnvelope], *, raw: Sequence[tuple[str, bytes, str]] = ()) -> None:
    """Publish events as the outbox relay does (Nats-Msg-Id = event_id), then any raw (subject, body, msg id)."""

    async def _publish() -> None:
        client = await connect(url, name="tests-publisher")
        try:
            js = client.jetstream()
            for event in events:
                await js.publish(
                    event.subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.event_id)}
                )
            for subject, body, msg_id in raw:
                await js.publish(subject, body, headers={"Nats-Msg-Id": msg_id})
        finally:
            await client.close()

    asyncio.run(_publish())


def dead_letters(url: str) -> list[tuple[str, bytes, dict[str, str]]]:
    async def _read() -> list[tuple[str, bytes, dict[str, str]]]:
        client = await connect(url, name="tests-dead-letters")
        try:
            js = client.jetstream()
            info = await js.stream_info(DEAD_LETTER_STREAM)
            messages = []
            for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
                msg = await js.get_msg(DEAD_LETTER_STREAM, seq)
                messages.append((msg.subject, msg.data or b"", dict(msg.headers or {})))
            return messages
        finally:
            await client.close()

    return asyncio.run(_read())
