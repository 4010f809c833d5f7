"""Bring the training service's read models (rosters, availability, the club's calendar) up to date, as the relay
process does."""

from __future__ import annotations

from hub.relay import service_outboxes
from operational.kit import nats as hub_nats
from operational.kit.db import create_engine
from operational.kit.relay import OutboxRelay
from operational.training.consumers import TrainingConsumer
from tests.conftest import run


async def _sync(settings, extra_events=()) -> int:
    nc = await hub_nats.connect(settings.nats_url, name="tests-training-read-models")
    engine = create_engine(settings.database_url, pool_size=2)
    try:
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        for table in service_outboxes():
            await OutboxRelay(engine=engine, database_url=settings.database_url, table=table, js=js).drain()
        for event in extra_events:
            await js.publish(
                event.subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        return await TrainingConsumer(js, engine).run_until_idle()
    finally:
        await nc.close()
        await engine.dispose()


def sync_training_read_models(settings, *extra_events) -> int:
    """Publish every service's outbox (and any extra events) and let the training consumer catch up."""
    return run(_sync(settings, extra_events))
