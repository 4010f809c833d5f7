"""The read models: rosters and names from users events, availability from medical events, applied once each."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from contracts import users
from operational.calendar.consumers import CalendarReadModels, apply_batch
from operational.calendar.models import PlayerAvailability, RosterEntry
from operational.kit import nats as hub_nats
from operational.kit.db import session_factory, sqlalchemy_url
from tests.factories import make_club
from tests.operational.calendar.conftest import availability, envelope

pytestmark = pytest.mark.anyio


@pytest.fixture
async def engine(settings):
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    yield engine
    await engine.dispose()


async def _roster(engine, org_id) -> set[tuple[uuid.UUID, str]]:
    async with session_factory(engine)() as session:
        rows = await session.execute(select(RosterEntry.user_id, RosterEntry.role).where(RosterEntry.org_id == org_id))
        return set(rows.all())


async def test_users_events_from_the_stream_build_the_roster(settings, engine):
    from fastapi.testclient import TestClient

    from operational.gateway import create_app

    nc = await hub_nats.connect(settings.nats_url, name="calendar-consumer-test")
    consumer = CalendarReadModels(nc.jetstream(), engine)
    with TestClient(create_app(settings, run_relays=True)):
        club = await asyncio.to_thread(make_club, settings)
        expected = {(club[name].id, role) for name, role in (("coach", "coach"), ("player", "player"))}
        deadline = time.monotonic() + 20
        while not expected <= await _roster(engine, club.org_id):
            assert time.monotonic() < deadline, "the users events never reached the calendar's roster"
            await consumer.run_until_idle(fetch_timeout=0.3)
    await nc.close()


async def test_each_event_is_applied_once_and_late_availability_does_not_win(settings, engine):
    club = type("Club", (), {"org_id": uuid.uuid4()})()
    player, team = uuid.uuid4(), uuid.uuid4()
    added = envelope(
        users.MembershipAddedEvent,
        club.org_id,
        users.MembershipAdded(membership_id=uuid.uuid4(), user_id=player, team_id=team, role="player"),
    )
    removed = envelope(
        users.MembershipRemovedEvent,
        club.org_id,
        users.MembershipRemoved(membership_id=uuid.uuid4(), user_id=player, team_id=team, role="player"),
    )
    assert await apply_batch(engine, [added]) == 1
    assert await apply_batch(engine, [removed]) == 1
    assert await apply_batch(engine, [added]) == 0  # a redelivery does not put the player back
    assert await _roster(engine, club.org_id) == set()

    newer = availability(club, player, "unavailable", effective_from=date(2027, 1, 10))
    older = availability(club, player, "available", effective_from=date(2027, 1, 1))
    older = older.model_copy(update={"occurred_at": newer.occurred_at.replace(year=2020)})
    await apply_batch(engine, [newer, older])
    async with session_factory(engine)() as session:
        row = await session.get(PlayerAvailability, player)
    assert row.status == "unavailable"
