from __future__ import annotations

import pytest

from messaging import nats as hub_nats


@pytest.fixture
async def jetstream(settings):
    """A JetStream context on the session's NATS server, with the event and dead-letter streams in place."""
    nc = await hub_nats.connect(settings.nats_url, name="test")
    js = nc.jetstream()
    await hub_nats.ensure_streams(js)
    yield js
    await nc.close()
