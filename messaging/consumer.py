"""Durable pull consumers on the event stream.

A consumer fetches a batch, hands the messages with their parsed events to ``handle_deliveries`` (which commits its
own work) and only then acks. A message that is not a valid event, or whose processing failed ``max_deliver`` times,
is copied to the dead-letter stream with the reason in its headers and acked, so it never blocks the messages behind
it. Handlers must be idempotent on ``event_id``: delivery is at least once. :class:`InboxConsumer` makes them so with
the shared inbox (messaging/inbox.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, NamedTuple

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts.envelope import DEAD_LETTER_PREFIX, STREAM_NAME, SUBJECT_PREFIX, EventEnvelope
from contracts.private import PRIVATE_PREFIX, PRIVATE_STREAM, parse_private
from contracts.registry import parse_event
from messaging import tracing
from messaging.dead_letters import CONSUMER_HEADER, MSG_ID_HEADER, REASON_HEADER, SUBJECT_HEADER
from messaging.inbox import first_delivery
from messaging.retry import keep_trying

log = logging.getLogger(__name__)


class Delivery(NamedTuple):
    """A message with its event (``msg`` is None for an event handed over without the stream, e.g. by a test); a
    named tuple, which costs less to make than a dataclass: one is made for every message of a batch."""

    msg: Msg | None
    event: EventEnvelope[Any]


class EventConsumer:
    durable_name: str
    filter_subjects: Sequence[str] = ("hub.>",)
    batch_size: int = 500
    ack_wait_seconds: float = 60.0
    stream_name: str = STREAM_NAME
    # a private consumer (contracts/private.py) parses its own messages and dead-letters the reason without the body
    parse: Callable[[bytes], EventEnvelope[Any]] = staticmethod(parse_event)
    dead_letter_body: bool = True

    def __init__(self, js: JetStreamContext, *, max_deliver: int = 5):
        self.js = js
        self.max_deliver = max_deliver
        self._subscription = None
        self._configured = False
        self.dead_lettered = 0

    async def handle_deliveries(self, deliveries: list[Delivery]) -> None:
        """Process and durably commit the batch; raising makes every message in it be redelivered."""
        await self.handle_batch([delivery.event for delivery in deliveries])

    async def handle_batch(self, events: list[EventEnvelope[Any]]) -> None:
        """The events alone, for consumers that need nothing of the message (override one of the two)."""
        raise NotImplementedError

    def consumer_config(self) -> ConsumerConfig:
        subjects = list(self.filter_subjects)
        return ConsumerConfig(
            durable_name=self.durable_name,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            # Redelivery is bounded by us (dead-letter after max_deliver), not by the server, so that nothing is
            # ever silently dropped at the server's limit.
            max_deliver=-1,
            max_ack_pending=max(10_000, self.batch_size * 4),
            filter_subjects=subjects if len(subjects) > 1 else None,
            filter_subject=subjects[0] if len(subjects) == 1 else None,
        )

    async def subscription(self):
        if self._subscription is None:
            self._subscription = await self.js.pull_subscribe_bind(
                durable=await self._ensure_consumer(), stream=self.stream_name
            )
        return self._subscription

    async def _ensure_consumer(self) -> str:
        # Create the durable consumer, or bring an existing one's subjects up to date (a service that comes to read
        # more event types keeps its position on the stream): adding an existing durable updates it.
        if not self._configured:
            await self.js.add_consumer(self.stream_name, self.consumer_config())
            self._configured = True
        return self.durable_name

    async def pending(self) -> int:
        """Messages not yet delivered plus delivered but not yet acked."""
        await self._ensure_consumer()
        info = await self.js.consumer_info(self.stream_name, self.durable_name)
        return info.num_pending + info.num_ack_pending

    async def fetch(self, timeout: float = 1.0) -> list[Msg]:
        sub = await self.subscription()
        try:
            return await sub.fetch(self.batch_size, timeout=timeout)
        except (TimeoutError, NatsTimeoutError):  # nats-py raises either when nothing arrives in time
            return []

    async def dead_letter(self, msg: Msg, reason: str) -> None:
        headers = {
            REASON_HEADER: reason[:1000].replace("\n", " "),
            SUBJECT_HEADER: msg.subject,
            CONSUMER_HEADER: self.durable_name,
        }
        if msg.headers and "Nats-Msg-Id" in msg.headers:
            headers[MSG_ID_HEADER] = msg.headers["Nats-Msg-Id"]
        body = msg.data if self.dead_letter_body else b""
        await self.js.publish(DEAD_LETTER_PREFIX + msg.subject, body, headers=headers)
        await msg.ack()
        self.dead_lettered += 1
        log.warning("dead-lettered message", extra={"subject": msg.subject, "reason": reason[:200]})

    async def process(self, msgs: list[Msg]) -> int:
        """Validate, handle and ack one fetched batch; return how many events were handled."""
        good: list[Delivery] = []
        for msg in msgs:
            try:
                good.append(Delivery(msg, self.parse(msg.data)))
            except ValidationError as exc:
                await self.dead_letter(msg, f"invalid event: {_summarize(exc)}")
        if not good:
            return 0
        try:
            await self.handle_deliveries(good)
        except Exception as exc:
            return await self._handle_failed_batch(good, exc)
        for delivery in good:
            await delivery.msg.ack()
        return len(good)

    async def _handle_failed_batch(self, batch: list[Delivery], exc: Exception) -> int:
        """Retry one by one so a single poisonous event does not hold back the good ones."""
        log.warning("batch failed; retrying events one by one", extra={"error": repr(exc), "size": len(batch)})
        handled = 0
        for delivery in batch:
            try:
                await self.handle_deliveries([delivery])
            except Exception as single_exc:
                if delivery.msg.metadata.num_delivered >= self.max_deliver:
                    await self.dead_letter(delivery.msg, f"processing failed: {single_exc!r}")
                else:
                    await delivery.msg.nak(delay=min(30.0, 2.0**delivery.msg.metadata.num_delivered))
                continue
            await delivery.msg.ack()
            handled += 1
        return handled

    async def run_until_idle(self, *, fetch_timeout: float = 0.5) -> int:
        """Consume until nothing is pending (a pipeline run); return how many events were handled."""
        handled = 0
        while msgs := await self.fetch(timeout=fetch_timeout):
            handled += await self.process(msgs)
        return handled

    async def drain(self, *, fetch_timeout: float = 0.5) -> int:
        """Consume what is pending now, without waiting out a fetch timeout once nothing is; return how many events
        were handled."""
        handled = 0
        while await self.pending():
            if not (msgs := await self.fetch(timeout=fetch_timeout)):
                break  # what is pending is in another consumer's hands or waiting out a redelivery delay
            handled += await self.process(msgs)
        return handled

    async def run_forever(self, stop: asyncio.Event) -> None:
        async def one_pass() -> None:
            await self.process(await self.fetch(timeout=1.0))

        while not stop.is_set():
            await keep_trying("consumer pass failed; retrying", one_pass, stop=stop)


HandlerFn = Callable[[AsyncSession, Delivery], Awaitable[None]]
"""Brings the consumer's own tables up to date with one delivery, in the session's transaction (never commits)."""


class InboxConsumer(EventConsumer):
    """A service's durable consumer: each event type goes to its handler, once per consumer (the shared inbox).

    A batch is one transaction: the inbox rows and every handler's changes commit together, then the messages are
    acked. The durable is named after the consumer and subscribes to exactly its handlers' subjects.
    """

    def __init__(
        self,
        js: JetStreamContext | None,
        engine: AsyncEngine,
        *,
        name: str,
        handlers: Mapping[str, HandlerFn],
        max_deliver: int = 5,
        private: bool = False,
    ):
        super().__init__(js, max_deliver=max_deliver)
        self.durable_name = name
        self.handlers = dict(handlers)
        prefix = SUBJECT_PREFIX
        if private:  # the private stream (contracts/private.py)
            prefix, self.stream_name, self.parse, self.dead_letter_body = (
                PRIVATE_PREFIX, PRIVATE_STREAM, parse_private, False,
            )  # fmt: skip
        self.filter_subjects = tuple(prefix + event_type for event_type in sorted(self.handlers))
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.applied = 0

    async def handle_deliveries(self, deliveries: list[Delivery]) -> None:
        async with self.sessions() as session, session.begin():
            applied = await self.apply(session, deliveries)
        self.applied += applied

    async def apply(self, session: AsyncSession, deliveries: list[Delivery]) -> int:
        """Hand each delivery not seen before to its handler, in the caller's transaction; return how many."""
        applied = 0
        for delivery in deliveries:
            handler = self.handlers.get(delivery.event.type)
            if handler is not None and await first_delivery(session, self.durable_name, delivery.event.event_id):
                # a child of the relay's publish span; events the handler records continue the trace
                with tracing.message_span(
                    f"{self.durable_name} handle {delivery.event.type}",
                    delivery.msg.headers if delivery.msg is not None else None,
                    {
                        "messaging.consumer.group.name": self.durable_name,
                        "messaging.message.id": str(delivery.event.event_id),
                    },
                ):
                    await handler(session, delivery)
                applied += 1
        return applied


def _summarize(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        if err["type"] == "union_tag_not_found":
            parts.append("no 'type' field: not an event envelope")
            continue
        if err["type"] == "union_tag_invalid":
            parts.append(f"unknown event type {err.get('ctx', {}).get('tag')!r}")
            continue
        if err["type"] == "literal_error" and err.get("loc", ())[-1:] == ("version",):
            # schema drift: a producer newer than this consumer
            parts.append(
                f"unknown version {err.get('input')!r} of {err['loc'][0]} (this consumer reads "
                f"{err.get('ctx', {}).get('expected', 'another')})"
            )
            continue
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    return "; ".join(parts)
