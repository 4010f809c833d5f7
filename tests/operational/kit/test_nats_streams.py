"""The streams every process ensures: created when missing, brought to this release's settings when not."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from contracts.envelope import STREAM_NAME
from messaging import nats as hub_nats
from tests.messaging import private_nats


def test_a_stream_from_an_earlier_release_keeps_its_events_and_takes_the_shorter_duplicate_window():
    async def scenario():
        with private_nats() as server:
            nc = await hub_nats.connect(server.url, name="test")
            try:
                js = nc.jetstream()
                # the events stream as releases before the two-minute window created it
                await js.add_stream(replace(hub_nats.events_stream_config(), duplicate_window=15 * 60))
                first = await js.publish("hub.training.session_rpe.logged", b"{}", headers={"Nats-Msg-Id": "e-1"})

                await hub_nats.ensure_streams(js)

                info = await js.stream_info(STREAM_NAME)
                again = await js.publish("hub.training.session_rpe.logged", b"{}", headers={"Nats-Msg-Id": "e-1"})
                return info, first, again
            finally:
                await nc.close()

    info, first, again = asyncio.run(scenario())
    assert info.config.duplicate_window == hub_nats.DUPLICATE_WINDOW_SECONDS == 120
    assert info.state.messages == 1, "changing the window must not lose what the stream holds"
    assert again.duplicate and again.seq == first.seq, "a re-publish inside the window is still dropped"


def test_ensuring_streams_again_changes_nothing(caplog):
    """Every process ensures the streams at start: the second time finds each as this release made it."""

    async def scenario():
        with private_nats() as server:
            nc = await hub_nats.connect(server.url, name="test")
            try:
                js = nc.jetstream()
                await hub_nats.ensure_streams(js)
                with caplog.at_level(logging.INFO, logger=hub_nats.log.name):
                    caplog.clear()
                    await hub_nats.ensure_streams(js)
            finally:
                await nc.close()

    asyncio.run(scenario())
    changed = [record for record in caplog.records if "changed the stream" in record.getMessage()]
    assert changed == [], [getattr(record, "stream", None) for record in changed]
