"""The read models: rosters and names from users events, availability from medical events, applied once each."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from contracts import training, users
from contracts.envelope import STREAM_NAME
from messaging import nats as hub_nats
from operational import worker
from operational.calendar.models import PlayerAvailability, RosterEntry
from operational.kit.db import session_factory, sqlalchemy_url
from operational.registry import service
from tests.factories import make_club
from tests.messaging import relaying
from tests.operational.calendar.helpers import API, availability, envelope, feed_read_models


@contextlib.asynccontextmanager
async def engine_on(settings):
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _roster(engine, org_id) -> set[tuple[uuid.UUID, str]]:
    async with session_factory(engine)() as session:
        rows = await session.execute(select(RosterEntry.user_id, RosterEntry.role).where(RosterEntry.org_id == org_id))
        return set(rows.all())


def test_users_events_from_the_stream_build_the_roster(settings):
    async def scenario() -> None:
        async with engine_on(settings) as engine:
            from fastapi.testclient import TestClient

            from operational.gateway import create_app

            nc = await hub_nats.connect(settings.nats_url, name="calendar-consumer-test")
            (consumer,) = worker.build_consumers(settings, engine, nc.jetstream(), [service("calendar")])
            with relaying(settings), TestClient(create_app(settings)):
                club = await asyncio.to_thread(make_club, settings)
                expected = {(club[name].id, role) for name, role in (("coach", "coach"), ("player", "player"))}
                deadline = time.monotonic() + 20
                while not expected <= await _roster(engine, club.org_id):
                    assert time.monotonic() < deadline, "the users events never reached the calendar's roster"
                    await consumer.run_until_idle(fetch_timeout=0.3)
            await nc.close()

    asyncio.run(scenario())


def test_each_event_is_applied_once_and_late_availability_does_not_win(settings):
    async def scenario() -> None:
        async with engine_on(settings) as engine:
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
            assert await asyncio.to_thread(feed_read_models, settings, [added]) == 1
            assert await asyncio.to_thread(feed_read_models, settings, [removed]) == 1
            assert (
                await asyncio.to_thread(feed_read_models, settings, [added]) == 0
            )  # a redelivery: the player stays off
            assert await _roster(engine, club.org_id) == set()

            newer = availability(club, player, "unavailable", effective_from=date(2027, 1, 10))
            older = availability(club, player, "available", effective_from=date(2027, 1, 1))
            older = older.model_copy(update={"occurred_at": newer.occurred_at.replace(year=2020)})
            await asyncio.to_thread(feed_read_models, settings, [newer, older])
            async with session_factory(engine)() as session:
                row = await session.get(PlayerAvailability, player)
            assert row.status == "unavailable"

    asyncio.run(scenario())


def _session_event(model, club, data, *, minutes_ago: int = 0):
    event = envelope(model, club.org_id, data)
    return event.model_copy(update={"occurred_at": event.occurred_at - timedelta(minutes=minutes_ago)})


def test_planned_training_sessions_are_kept_on_the_calendar(gateway, cal_club, settings):
    session_id = uuid.uuid4()
    planned = training.SessionScheduled(
        session_id=session_id, team_id=cal_club.team_id, starts_at=datetime(2027, 3, 18, 16, 0, tzinfo=UTC)
    )
    scheduled = _session_event(training.SessionScheduledEvent, cal_club, planned, minutes_ago=10)
    assert feed_read_models(settings, [scheduled]) == 1
    assert feed_read_models(settings, [scheduled]) == 0  # redelivered: nothing changes

    window = {"from": "2027-03-01T00:00:00Z", "to": "2027-04-01T00:00:00Z"}

    def listed(person):
        response = gateway.get(f"{API}/occurrences", params=window, headers=person.headers)
        return [(o["kind"], o["title"], o["starts_at"], o["ends_at"], o["cancelled"]) for o in response.json()["items"]]

    assert listed(cal_club["player"]) == [
        ("training_session", "Training session", "2027-03-18T16:00:00Z", "2027-03-18T17:00:00Z", False)
    ]
    moved = planned.model_copy(
        update={"starts_at": datetime(2027, 3, 19, 15, 0, tzinfo=UTC), "planned_duration_minutes": 45}
    )
    older = planned.model_copy(update={"starts_at": datetime(2027, 3, 25, 15, 0, tzinfo=UTC)})
    feed_read_models(
        settings,
        [
            _session_event(training.SessionUpdatedEvent, cal_club, moved, minutes_ago=5),
            _session_event(training.SessionUpdatedEvent, cal_club, older, minutes_ago=8),  # arrives late: ignored
        ],
    )
    assert listed(cal_club["coach"]) == [
        ("training_session", "Training session", "2027-03-19T15:00:00Z", "2027-03-19T15:45:00Z", False)
    ]
    assert listed(cal_club["other_player"]) == []  # another team's session

    series_id = gateway.get(f"{API}/events", params={"kind": "training_session"}, headers=cal_club["coach"].headers)
    entry = series_id.json()["items"][0]
    assert entry["training_session_id"] == str(session_id)
    edit = gateway.patch(f"{API}/events/{entry['id']}", json={"title": "Gym"}, headers=cal_club["coach"].headers)
    assert edit.status_code == 409 and "in training" in edit.json()["error"]["message"]

    cancelled = training.SessionCancelled(session_id=session_id, reason="Rink closed")
    feed_read_models(settings, [_session_event(training.SessionCancelledEvent, cal_club, cancelled)])
    events = gateway.get(f"{API}/events", params={"kind": "training_session"}, headers=cal_club["coach"].headers)
    assert [e["cancelled"] for e in events.json()["items"]] == [True]

    one_player = training.SessionScheduled(
        session_id=uuid.uuid4(), player_ids=[cal_club["teammate"].id], starts_at=datetime(2027, 3, 20, 9, 0, tzinfo=UTC)
    )
    feed_read_models(settings, [_session_event(training.SessionScheduledEvent, cal_club, one_player)])
    assert [o[2] for o in listed(cal_club["teammate"])] == ["2027-03-20T09:00:00Z"]
    assert listed(cal_club["player"]) == []


def test_the_consumer_starts_reading_training_sessions_where_it_was_set_up_before(settings):
    async def scenario() -> None:
        async with engine_on(settings) as engine:
            nc = await hub_nats.connect(settings.nats_url, name="calendar-upgrade-test")
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)

            def upgraded():
                (consumer,) = worker.build_consumers(settings, engine, js, [service("calendar")])
                consumer.durable_name = f"calendar-upgrade-{durable_suffix}"
                return consumer

            durable_suffix = uuid.uuid4().hex[:8]
            old = upgraded().consumer_config()
            old.filter_subjects, old.filter_subject = ["hub.users.>", "hub.medical.>"], None
            await js.add_consumer(STREAM_NAME, old)

            consumer = upgraded()
            await consumer.pending()
            info = await js.consumer_info(STREAM_NAME, consumer.durable_name)
            assert "hub.training.session.scheduled" in info.config.filter_subjects
            await js.delete_consumer(STREAM_NAME, consumer.durable_name)
            await nc.close()

    asyncio.run(scenario())
