"""Live updates reach the watchers of every API process, and only once their change has committed."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from types import SimpleNamespace

import httpx
from sqlalchemy import text
from websockets.sync.client import connect as websocket

from messaging import nats as hub_nats
from operational.gateway import create_app
from operational.kit.db import create_engine, session_factory
from operational.kit.live import SESSION_INFO_KEY, LiveUpdates, publish_after_commit
from tests.messaging import drain_and_consume
from tests.operational.training.helpers import BASE as TRAINING
from tests.operational.training.helpers import session_starting_now
from tests.servers import served


def _wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_watcher_on_one_gateway_sees_a_change_made_through_another(settings, club):
    coach, player = club["coach"], club["player"]
    drain_and_consume(settings, services=["training"])
    first_app, second_app = create_app(settings), create_app(settings)
    with served(first_app) as first, served(second_app) as second:
        _wait_until(
            lambda: first_app.state.live.following and second_app.state.live.following,
            timeout=30,
            what="the gateways did not subscribe to live updates",
        )
        created = httpx.post(
            f"{first}{TRAINING}/sessions", json=session_starting_now(club, player), headers=coach.headers
        )
        assert created.status_code == 201, created.text
        session_id = created.json()["id"]
        path = f"{TRAINING}/sessions/{session_id}/live?access_token={coach.token}"
        with (
            websocket(first.replace("http", "ws", 1) + path) as on_first,
            websocket(second.replace("http", "ws", 1) + path) as on_second,
        ):
            for watcher in (on_first, on_second):
                assert json.loads(watcher.recv(timeout=10))["type"] == "snapshot"
            started = httpx.post(
                f"{second}{TRAINING}/sessions/{session_id}/players/{player.id}/start", headers=player.headers
            )
            assert started.status_code == 204, started.text
            for watcher in (on_first, on_second):
                update = json.loads(watcher.recv(timeout=10))
                assert (update["player_id"], update["status"]) == (str(player.id), "started")


def test_a_change_that_rolls_back_is_seen_by_nobody(settings):
    """Two processes' live updates on one NATS: a rolled-back change reaches no watcher, the next committed one
    reaches the watchers of both."""

    async def scenario() -> list[list[dict]]:
        connections = [await hub_nats.connect(settings.nats_url, name=f"live-{n}") for n in range(2)]
        processes = [LiveUpdates() for _ in connections]
        engine = create_engine(settings.database_url)
        try:
            for live, nats in zip(processes, connections, strict=True):
                await live.follow(SimpleNamespace(state=SimpleNamespace(nats=nats)))
            sessions = session_factory(engine, info={SESSION_INFO_KEY: processes[1]})
            topic = f"test.sessions.{uuid.uuid4()}"
            with processes[0].listen(topic) as first, processes[1].listen(topic) as second:
                async with sessions() as db:
                    await db.execute(text("SELECT 1"))
                    publish_after_commit(db, topic, {"change": "rolled back"})
                    await db.rollback()
                    await db.execute(text("SELECT 1"))
                    publish_after_commit(db, topic, {"change": "committed"})
                    await db.commit()
                return [[await asyncio.wait_for(queue.get(), 10)] + _rest(queue) for queue in (first, second)]
        finally:
            await engine.dispose()
            for nats in connections:
                await nats.drain()

    assert asyncio.run(scenario()) == [[{"change": "committed"}], [{"change": "committed"}]]


def _rest(queue) -> list[dict]:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


def test_no_stream_keeps_a_live_update(settings):
    """Core NATS keeps nothing, unless a JetStream stream's subjects match: a live update under one would be stored
    (and the events stream's consumers would take it for an event)."""
    import nats.js.errors

    from operational.kit.live import LIVE_SUBJECT_PREFIX

    async def streams_of(subject: str) -> list[str]:
        nc = await hub_nats.connect(settings.nats_url, name="live-streams")
        try:
            js = nc.jetstream()
            await hub_nats.ensure_streams(js)
            try:
                return [await js.find_stream_name_by_subject(subject)]
            except nats.js.errors.NotFoundError:
                return []
        finally:
            await nc.close()

    for topic in ("training.sessions.1", "comms.people.1"):
        assert asyncio.run(streams_of(LIVE_SUBJECT_PREFIX + topic)) == [], topic
