"""The outbox: an event exists exactly when its change was committed, and reaches NATS exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import select

from contracts.envelope import utc_now
from messaging import nats as hub_nats
from messaging.relay import OutboxRelay
from operational.kit.app import create_service_app
from operational.kit.config import HubSettings
from operational.kit.db import SessionDep, create_engine, session_factory
from operational.kit.errors import Conflict
from operational.kit.service import Service
from operational.training.models import SessionRpeLog, outbox
from tests.messaging import jetstream_on
from tests.operational.kit.events import rpe_logged_event


def _probe_app(settings, org_id: uuid.UUID, recorded: list) -> TestClient:
    """An app whose endpoints record an event and then either finish or fail, through the kit's unit of work."""
    router = APIRouter()

    @router.post("/probe/{outcome}")
    async def probe(outcome: str, session: SessionDep) -> dict:
        event = rpe_logged_event(org_id)
        recorded.append(event)
        await outbox.record(session, event)
        if outcome == "fail":
            raise Conflict("the change is refused after its event was recorded")
        return {"event_id": str(event.event_id)}

    probe_service = Service(name="probe", settings=HubSettings, routers=[router], outbox=outbox)
    return TestClient(create_service_app(settings, [probe_service], title="probe"))


async def _outbox_rows(engine, event_ids):
    async with engine.connect() as conn:
        result = await conn.execute(select(outbox.table).where(outbox.table.c.event_id.in_(event_ids)))
        return result.all()


async def _messages_with_ids(js, subject: str, event_ids: set[str]) -> list[str]:
    """Every message on ``subject`` whose Nats-Msg-Id is one of ``event_ids`` (ephemeral consumer, from the start)."""
    sub = await js.pull_subscribe(subject, durable=None, stream="HUB_EVENTS")
    seen = []
    try:
        while True:
            try:
                msgs = await sub.fetch(500, timeout=0.5)
            except Exception:
                break
            for msg in msgs:
                if msg.headers and msg.headers.get("Nats-Msg-Id") in event_ids:
                    seen.append(msg.headers["Nats-Msg-Id"])
                await msg.ack()
    finally:
        await sub.unsubscribe()
    return seen


def test_rolled_back_request_emits_nothing_and_committed_one_emits_once(settings):
    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            org_id, recorded = uuid.uuid4(), []
            with _probe_app(settings, org_id, recorded) as client:
                assert client.post("/probe/fail").status_code == 409
                assert client.post("/probe/ok").status_code == 200
            failed, committed = recorded

            engine = create_engine(settings.database_url, pool_size=2)
            rows = await _outbox_rows(engine, [failed.event_id, committed.event_id])
            assert [row.event_id for row in rows] == [committed.event_id]

            relay = OutboxRelay(engine=engine, database_url=settings.database_url, table=outbox.table, js=jetstream)
            await relay.drain()
            ids = {str(failed.event_id), str(committed.event_id)}
            assert await _messages_with_ids(jetstream, committed.subject, ids) == [str(committed.event_id)]
            await engine.dispose()

    asyncio.run(scenario())


class _RelayKilled(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the relay handles it."""


class _DiesAfterPublishing:
    """JetStream that stores every message, then 'kills' the relay before it can mark the rows sent."""

    def __init__(self, js, die_after: int):
        self.js, self.remaining = js, die_after

    async def publish_async(self, *args, **kwargs):
        future = await self.js.publish_async(*args, **kwargs)
        self.remaining -= 1
        if self.remaining == 0:
            await future  # the server has stored it
            raise _RelayKilled()
        return future


def test_relay_killed_between_publish_and_mark_sent_still_delivers_once(settings):
    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            engine = create_engine(settings.database_url, pool_size=2)
            events = [rpe_logged_event(uuid.uuid4()) for _ in range(3)]
            sessions_engine = create_engine(settings.database_url, pool_size=1)
            async with session_factory(sessions_engine)() as session, session.begin():
                for event in events:
                    await outbox.record(session, event)
            await sessions_engine.dispose()
            # clear anything other tests left unsent, so the doomed relay's batch is exactly our three events
            await OutboxRelay(
                engine=engine, database_url=settings.database_url, table=outbox.table, js=jetstream
            ).drain()
            ids = {str(e.event_id) for e in events}
            assert sorted(await _messages_with_ids(jetstream, events[0].subject, ids)) == sorted(ids)

            # the same three rows, unsent again, relayed by a relay that dies after publishing all of them
            async with engine.begin() as conn:
                await conn.execute(
                    outbox.table.update()
                    .where(outbox.table.c.event_id.in_([e.event_id for e in events]))
                    .values(sent_at=None)
                )
            doomed = OutboxRelay(
                engine=engine,
                database_url=settings.database_url,
                table=outbox.table,
                js=_DiesAfterPublishing(jetstream, die_after=3),
            )
            with pytest.raises(_RelayKilled):
                await doomed.relay_once()
            rows = await _outbox_rows(engine, [e.event_id for e in events])
            assert all(row.sent_at is None for row in rows), "the dead relay must not have marked anything sent"

            restarted = OutboxRelay(engine=engine, database_url=settings.database_url, table=outbox.table, js=jetstream)
            assert await restarted.drain() == 3
            rows = await _outbox_rows(engine, [e.event_id for e in events])
            assert all(row.sent_at is not None for row in rows)
            # republished three times in all, stored once each: JetStream dropped the duplicates by Nats-Msg-Id
            assert sorted(await _messages_with_ids(jetstream, events[0].subject, ids)) == sorted(ids)
            await engine.dispose()

    asyncio.run(scenario())


@contextlib.asynccontextmanager
async def _relay_polling_once_a_minute(settings, jetstream, engine) -> AsyncIterator[OutboxRelay]:
    """A running relay that polls the outbox only once a minute: whatever it publishes sooner, a NOTIFY woke it for."""
    relay = OutboxRelay(
        engine=engine, database_url=settings.database_url, table=outbox.table, js=jetstream, poll_seconds=60
    )
    stop = asyncio.Event()
    runner = asyncio.create_task(relay.run(stop))
    try:
        yield relay
    finally:
        stop.set()
        await asyncio.wait_for(runner, 5)  # stopping does not wait for the next poll either


def test_notify_wakes_the_relay_without_waiting_for_the_poll(settings):
    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            engine = create_engine(settings.database_url, pool_size=3)
            try:
                async with _relay_polling_once_a_minute(settings, jetstream, engine) as relay:
                    before = relay.published_total
                    event = rpe_logged_event(uuid.uuid4())
                    async with session_factory(engine)() as session, session.begin():
                        await outbox.record(session, event)
                    await _wait_for(lambda: relay.published_total > before, 10)
            finally:
                await engine.dispose()
            assert await _messages_with_ids(jetstream, event.subject, {str(event.event_id)}) == [str(event.event_id)]

    asyncio.run(scenario())


async def _wait_for(condition, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)


def test_replay_republishes_sent_events_after_the_stream_lost_them(settings):
    """NATS can lose acknowledged writes on an OS crash; the outbox keeps sent rows so they can be replayed."""

    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            engine = create_engine(settings.database_url, pool_size=2)
            event = rpe_logged_event(uuid.uuid4())
            async with session_factory(engine)() as session, session.begin():
                await outbox.record(session, event)
            relay = OutboxRelay(engine=engine, database_url=settings.database_url, table=outbox.table, js=jetstream)
            await relay.drain()
            since = utc_now()
            # simulate the loss: the server comes back without the stream's data and de-duplication state
            await jetstream.delete_stream("HUB_EVENTS")
            await hub_nats.ensure_streams(jetstream)
            assert await _messages_with_ids(jetstream, event.subject, {str(event.event_id)}) == []

            assert await relay.replay_since(since.replace(year=since.year - 1)) >= 1
            assert await _messages_with_ids(jetstream, event.subject, {str(event.event_id)}) == [str(event.event_id)]
            await engine.dispose()

    asyncio.run(scenario())


def _rpe_log(org_id: uuid.UUID) -> SessionRpeLog:
    player = uuid.uuid4()
    return SessionRpeLog(
        id=uuid.uuid4(),
        org_id=org_id,
        player_id=player,
        team_id=None,
        session_date=date(2026, 3, 1),
        rpe=6,
        duration_minutes=60,
        session_rpe_load_au=360,
        logged_by=player,
        logged_at=datetime.now(UTC),
        session_id=None,
    )


def test_a_row_recorded_along_with_its_event_is_kept_with_it_or_dropped_with_it_and_wakes_the_relay(settings):
    class _Refused(Exception):
        pass

    async def scenario() -> None:
        async with jetstream_on(settings) as jetstream:
            engine = create_engine(settings.database_url, pool_size=3)
            async with _relay_polling_once_a_minute(settings, jetstream, engine) as relay:
                dropped, dropped_event = _rpe_log(uuid.uuid4()), rpe_logged_event(uuid.uuid4())
                with pytest.raises(_Refused):
                    async with session_factory(engine)() as session, session.begin():
                        await outbox.record(session, dropped_event, along=dropped)
                        raise _Refused()
                before = relay.published_total
                kept, kept_event = _rpe_log(uuid.uuid4()), rpe_logged_event(uuid.uuid4())
                async with session_factory(engine)() as session, session.begin():
                    await outbox.record(session, kept_event, along=kept)
                    # a second event in the same transaction: its row, no second wake-up needed
                    await outbox.record(session, rpe_logged_event(uuid.uuid4()))
                await _wait_for(lambda: relay.published_total > before, 10)
            async with engine.connect() as conn:
                logs = (
                    await conn.execute(select(SessionRpeLog.id).where(SessionRpeLog.id.in_([kept.id, dropped.id])))
                ).all()
            assert [row.id for row in logs] == [kept.id]
            rows = await _outbox_rows(engine, [kept_event.event_id, dropped_event.event_id])
            assert [row.event_id for row in rows] == [kept_event.event_id]
            await engine.dispose()

    asyncio.run(scenario())
