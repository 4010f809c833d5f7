"""A batch fetch on a durable pull consumer: what is there comes at once, nothing is an empty batch, the end of a
request given up on never ends the next one, and a message received but never fetched is handed back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest
from nats.js.api import AckPolicy, ConsumerConfig
from nats.js.errors import APIError

from messaging import nats as hub_nats
from messaging.batch_pull import BatchPull
from tests.messaging import private_nats

STREAM = "BATCH_PULL_TEST"
SUBJECT = "batch.pull.test"


def _on_stream(scenario: Callable[..., Awaitable[None]]) -> None:
    """Run ``scenario(nc, js)`` against a server of its own with an empty stream and a durable ``reader`` on it."""

    async def main(url: str) -> None:
        nc = await hub_nats.connect(url, name="test")
        try:
            js = nc.jetstream()
            await js.add_stream(name=STREAM, subjects=[SUBJECT])
            await js.add_consumer(STREAM, ConsumerConfig(durable_name="reader", ack_policy=AckPolicy.EXPLICIT))
            await scenario(nc, js)
        finally:
            await nc.close()

    with private_nats() as server:
        asyncio.run(main(server.url))


async def _publish(js, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        await js.publish(SUBJECT, str(number).encode())


def test_a_batch_larger_than_what_is_there_returns_what_is_there_at_once_in_order():
    async def scenario(nc, js) -> None:
        await _publish(js, 30)
        pull = BatchPull(nc, STREAM, "reader")
        started = time.monotonic()
        msgs = await pull.fetch(100, timeout=5.0)
        assert time.monotonic() - started < 2.5  # not the request's whole expiry
        assert [int(msg.data) for msg in msgs] == list(range(30))
        assert {msg.subject for msg in msgs} == {SUBJECT}
        for msg in msgs:
            await msg.ack()
        assert await pull.fetch(100, timeout=0.3) == []
        await pull.close()

    _on_stream(scenario)


def test_a_batch_is_cut_at_its_size_and_the_next_fetch_continues():
    async def scenario(nc, js) -> None:
        await _publish(js, 25)
        pull = BatchPull(nc, STREAM, "reader")
        first, second = await pull.fetch(10, timeout=2.0), await pull.fetch(100, timeout=2.0)
        assert [int(msg.data) for msg in first + second] == list(range(25))
        assert len(first) == 10
        await pull.close()

    _on_stream(scenario)


def test_the_end_of_a_request_given_up_on_does_not_end_the_one_waiting():
    async def scenario(nc, js) -> None:
        pull = BatchPull(nc, STREAM, "reader")
        waiting = asyncio.create_task(pull.fetch(5, timeout=5.0))
        deadline = time.monotonic() + 5
        while pull._reply is None and time.monotonic() < deadline:  # its request on its way
            await asyncio.sleep(0.01)
        # the end of another request (one given up on) on the same inbox must not end this one
        await nc.publish(f"{pull._inbox}.0", b"", headers={"Status": "408"})
        await nc.flush()  # the status is back on this connection before the message below is published
        await _publish(js, 1)
        assert [int(msg.data) for msg in await waiting] == [0]
        assert pull._requests == 1  # the waiting request got the message, no second one was needed
        await pull.close()

    _on_stream(scenario)


def test_messages_received_but_never_fetched_are_handed_back_on_close():
    async def scenario(nc, js) -> None:
        await _publish(js, 6)
        pull = BatchPull(nc, STREAM, "reader")
        fetched = await pull.fetch(6, timeout=2.0)
        # as if they had come after their fetch gave up
        pull._received, fetched = fetched[3:], fetched[:3]
        for msg in fetched:
            await msg.ack()
        await pull.close()
        # nak'ed: delivered again at once, not after the consumer's 30 s ack wait
        again = BatchPull(nc, STREAM, "reader")
        assert sorted(int(msg.data) for msg in await again.fetch(10, timeout=2.0)) == [3, 4, 5]
        await again.close()

    _on_stream(scenario)


def test_a_consumer_that_does_not_exist_is_an_error_not_an_empty_batch():
    async def scenario(nc, js) -> None:
        pull = BatchPull(nc, STREAM, "nobody")
        with pytest.raises(APIError):
            await pull.fetch(10, timeout=2.0)
        await pull.close()

    _on_stream(scenario)
