"""Poison and schema drift: a malformed message, an event of an unknown version and an event whose handler fails are
dead-lettered with their reason, never hold back the next message, and `hub events dead-letters` lists them and
replays them after a fix."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import pytest

from hub.embedded import EmbeddedNats
from messaging import nats as hub_nats
from messaging.consumer import EventConsumer
from messaging.dead_letters import list_dead_letters
from tests.hub.processes import run_hub
from tests.messaging import private_nats
from tests.operational.kit.events import rpe_logged_event

SUBJECT = "hub.training.session_rpe.logged"


@pytest.fixture
def own_nats() -> Iterator[EmbeddedNats]:
    """The dead-letter stream holds this test's messages only."""
    with private_nats() as server:
        yield server


class LoadConsumer(EventConsumer):
    """A consumer whose handler fails for the events in ``broken`` until they are fixed (removed from it)."""

    durable_name = "load"
    filter_subjects = (SUBJECT,)

    def __init__(self, js, broken: set[uuid.UUID]):
        super().__init__(js, max_deliver=2)
        self.broken = broken
        self.handled: list[uuid.UUID] = []

    async def handle_batch(self, events) -> None:
        if broken := [event.event_id for event in events if event.event_id in self.broken]:
            raise RuntimeError(f"load handler cannot read {broken[0]}")
        self.handled.extend(event.event_id for event in events)


async def _consume_until(js, consumer: LoadConsumer, dead_letters: int, timeout: float = 30) -> None:
    """Consume (waiting out redelivery delays) until ``dead_letters`` are held and nothing is pending."""
    deadline = asyncio.get_running_loop().time() + timeout
    while len(await list_dead_letters(js)) < dead_letters or await consumer.pending():
        assert asyncio.get_running_loop().time() < deadline, "the consumer never settled"
        await consumer.run_until_idle(fetch_timeout=0.3)


def test_bad_messages_are_dead_lettered_listed_and_replayed_after_a_fix(own_nats):
    nats_env = {"HUB_NATS_URL": own_nats.url}
    poison, good = rpe_logged_event(uuid.uuid4()), rpe_logged_event(uuid.uuid4())
    newer = json.loads(rpe_logged_event(uuid.uuid4()).model_dump_json()) | {"version": 2}
    broken = {poison.event_id}

    async def first_delivery() -> None:
        nc = await hub_nats.connect(own_nats.url, name="test")
        try:
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)
            await js.publish(SUBJECT, b'{"event_id": "half a message', headers={"Nats-Msg-Id": "torn"})
            await js.publish(SUBJECT, json.dumps(newer).encode(), headers={"Nats-Msg-Id": newer["event_id"]})
            for event in (poison, good):
                body, msg_id = event.model_dump_json().encode(), str(event.event_id)
                await js.publish(SUBJECT, body, headers={"Nats-Msg-Id": msg_id})
            consumer = LoadConsumer(js, broken)
            await _consume_until(js, consumer, dead_letters=3)
            assert consumer.handled == [good.event_id]  # the three bad ones did not hold it back
        finally:
            await nc.close()

    asyncio.run(first_delivery())

    listed = run_hub("events", "dead-letters", env=nats_env)
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[1:4]}
    assert len(rows) == 3 and all(SUBJECT in row and " load " in row for row in rows.values()), listed.stdout
    text = "\n".join(rows.values())
    assert "invalid event: Invalid JSON" in text
    assert "unknown version 2 of training.session_rpe.logged (this consumer reads 1)" in text
    assert f"processing failed: RuntimeError('load handler cannot read {poison.event_id}')" in text
    poison_id = next(dl_id for dl_id, row in rows.items() if "processing failed" in row)

    unknown = run_hub("events", "dead-letters", "--replay", poison_id, "99999", env=nats_env)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "hub: error: no dead letter with id 99999; `hub events dead-letters` lists the ids"

    broken.clear()  # the handler is fixed
    replayed = run_hub("events", "dead-letters", "--replay", poison_id, env=nats_env)
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.startswith("replayed 1 dead letters")

    async def after_the_fix() -> None:
        nc = await hub_nats.connect(own_nats.url, name="test")
        try:
            js = nc.jetstream()
            consumer = LoadConsumer(js, broken)
            await _consume_until(js, consumer, dead_letters=2)
            assert consumer.handled == [poison.event_id]
            left = await list_dead_letters(js)
            assert sorted(str(letter.id) for letter in left) == sorted(set(rows) - {poison_id})
        finally:
            await nc.close()

    asyncio.run(after_the_fix())

    # replaying what is still bad dead-letters it again, with new ids: nothing is ever dropped silently
    assert run_hub("events", "dead-letters", "--replay", env=nats_env).returncode == 0

    async def still_bad() -> None:
        nc = await hub_nats.connect(own_nats.url, name="test")
        try:
            js = nc.jetstream()
            await _consume_until(js, LoadConsumer(js, broken), dead_letters=2)
            again = await list_dead_letters(js)
            assert len(again) == 2 and min(letter.id for letter in again) > max(map(int, rows))
        finally:
            await nc.close()

    asyncio.run(still_bad())
