"""The consumer base: bad messages go to the dead-letter stream with their reason and never block good ones."""

from __future__ import annotations

import asyncio
import json
import uuid

from contracts.envelope import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM
from messaging.consumer import REASON_HEADER, EventConsumer
from tests.messaging import jetstream_on
from tests.operational.kit.events import rpe_logged_event


class RecordingConsumer(EventConsumer):
    def __init__(self, js, *, durable_name: str, fail_for: set[uuid.UUID] = frozenset(), **kw):
        super().__init__(js, **kw)
        self.durable_name = durable_name
        self.filter_subjects = ("hub.training.session_rpe.logged",)
        self.fail_for = fail_for
        self.handled: list[uuid.UUID] = []

    async def handle_batch(self, events) -> None:
        if any(e.event_id in self.fail_for for e in events):
            raise RuntimeError("the handler cannot process this event")
        self.handled.extend(e.event_id for e in events)


async def _dead_letters(js, marker: str) -> list:
    """Dead-lettered messages whose body contains ``marker``."""
    sub = await js.pull_subscribe(DEAD_LETTER_PREFIX + ">", durable=None, stream=DEAD_LETTER_STREAM)
    found = []
    try:
        while True:
            try:
                msgs = await sub.fetch(200, timeout=0.3)
            except Exception:
                break
            found += [m for m in msgs if marker.encode() in m.data]
    finally:
        await sub.unsubscribe()
    return found


async def _publish(js, event) -> None:
    await js.publish(event.subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.event_id)})


def test_malformed_message_is_dead_lettered_with_reason_and_next_one_is_handled(settings):
    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            marker = uuid.uuid4().hex
            await jetstream.publish(
                "hub.training.session_rpe.logged", f'{{"not": "an event", "m": "{marker}"}}'.encode()
            )
            wrong_rpe = rpe_logged_event(uuid.uuid4()).model_dump(mode="json")
            wrong_rpe["data"]["rpe"] = 42
            wrong_rpe["data"]["duration_minutes"] = marker  # to find it again
            await jetstream.publish("hub.training.session_rpe.logged", json.dumps(wrong_rpe).encode())
            good = rpe_logged_event(uuid.uuid4())
            await _publish(jetstream, good)

            consumer = RecordingConsumer(jetstream, durable_name=f"test-{marker}")
            await consumer.run_until_idle()

            assert good.event_id in consumer.handled
            dead = await _dead_letters(jetstream, marker)
            assert len(dead) == 2
            reasons = " | ".join(m.headers[REASON_HEADER] for m in dead)
            assert "invalid event" in reasons
            assert "not an event envelope" in reasons
            assert "data.rpe" in reasons
            assert all(m.headers["Hub-Consumer"] == f"test-{marker}" for m in dead)
            assert await consumer.pending() == 0, "everything was acked: nothing left to block the stream"

    asyncio.run(scenario())


def test_event_failing_every_attempt_is_dead_lettered_after_max_deliver(settings):
    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            poison, good = rpe_logged_event(uuid.uuid4()), rpe_logged_event(uuid.uuid4())
            await _publish(jetstream, poison)
            await _publish(jetstream, good)
            consumer = RecordingConsumer(
                jetstream, durable_name=f"test-{uuid.uuid4().hex}", fail_for={poison.event_id}, max_deliver=2
            )
            deadline = asyncio.get_running_loop().time() + 30
            while not await _dead_letters(jetstream, str(poison.event_id)):
                assert asyncio.get_running_loop().time() < deadline, "poison event never reached the dead-letter stream"
                await consumer.run_until_idle()
            assert good.event_id in consumer.handled
            assert poison.event_id not in consumer.handled
            [dead] = await _dead_letters(jetstream, str(poison.event_id))
            assert "processing failed" in dead.headers[REASON_HEADER]
            assert "cannot process" in dead.headers[REASON_HEADER]

    asyncio.run(scenario())
