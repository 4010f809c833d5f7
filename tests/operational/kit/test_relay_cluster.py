"""Outbox relay → a three-server NATS JetStream cluster (streams with three replicas): a server killed with -9 in
the middle of a stream of writes loses nothing, and duplicates nothing.

The killed server is the one the relay is connected to and, when the cluster lets itself be steered there, the
stream's leader too: the client has to move to another server and the stream to elect a new leader while API-like
units of work keep recording events in the outbox."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from nats.js.api import StreamInfo
from nats.js.errors import ServiceUnavailableError
from sqlalchemy import MetaData, func, select, text

from contracts.envelope import STREAM_NAME
from hub.errors import HubError, check_nats
from messaging import nats as hub_nats
from messaging.outbox import Outbox, make_outbox_table
from messaging.relay import OutboxRelay
from operational.kit.db import create_engine
from tests.nats_cluster import NatsCluster, nats_cluster
from tests.operational.kit.events import rpe_logged_event

REQUESTS = 240
EVENTS_PER_REQUEST = 5
KILL_AFTER_REQUESTS = 80
STEER_ATTEMPTS = 8
SETTLE_SECONDS = 60.0


async def _stream_info(js) -> StreamInfo:
    deadline = time.monotonic() + 10
    while True:
        try:
            info = await js.stream_info(STREAM_NAME)
            if info.cluster is not None and info.cluster.leader:
                return info
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("the stream has no leader")
        await asyncio.sleep(0.05)


async def _steer_leader_to(nc, js, name: str) -> None:
    """Ask the stream's leader to step down until the leader is ``name`` (a few tries: the new leader is the
    cluster's choice)."""
    leader = (await _stream_info(js)).cluster.leader
    for _ in range(STEER_ATTEMPTS):
        if leader == name:
            break
        await nc.request(f"$JS.API.STREAM.LEADER.STEPDOWN.{STREAM_NAME}", b"", timeout=5)
        deadline = time.monotonic() + 10
        while (new := (await _stream_info(js)).cluster.leader) == leader and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        leader = new


async def _every_event_id_in_the_stream(js, count: int) -> list[str]:
    ids = []
    info = await js.stream_info(STREAM_NAME)
    for sequence in range(info.state.first_seq, info.state.first_seq + count):
        ids.append((await _get_msg(js, sequence)).headers["Nats-Msg-Id"])
    return ids


async def _get_msg(js, sequence: int, timeout: float = 15.0):
    """One stored message; a cluster still electing a leader after the kill answers 503 for a moment."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await js.get_msg(STREAM_NAME, sequence)
        except ServiceUnavailableError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def _scenario(cluster: NatsCluster, database_url: str) -> None:
    schema = f"relay_{uuid.uuid4().hex[:10]}"
    table = make_outbox_table(MetaData(schema=schema))
    engine = create_engine(database_url, pool_size=4)
    nc = await hub_nats.connect(cluster.url, name="test-relay")  # every server, as HUB_NATS_URL names them
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            await conn.run_sync(table.metadata.create_all)
        js = nc.jetstream()
        await hub_nats.ensure_streams(js, replicas=3)
        info = await _stream_info(js)
        assert info.config.num_replicas == 3 and len(info.cluster.replicas) == 2

        relay_server = cluster.by_port(nc.connected_url.port)
        await _steer_leader_to(nc, js, relay_server.name)
        relay = OutboxRelay(engine=engine, database_url=database_url, table=table, js=js,
                            poll_seconds=0.1, ack_timeout_seconds=1.0)  # fmt: skip
        stop = asyncio.Event()
        relaying = asyncio.create_task(relay.run(stop))

        recorded: list[str] = []
        for request in range(REQUESTS):  # each request's unit of work records its events, as a service does
            events = [rpe_logged_event(uuid.uuid4()) for _ in range(EVENTS_PER_REQUEST)]
            async with engine.begin() as conn:
                for event in events:
                    await Outbox(table).record(conn, event)
            recorded += [str(event.event_id) for event in events]
            if request == KILL_AFTER_REQUESTS:
                assert relay.published_total > 0, "the relay had published nothing before the kill"
                cluster.kill(relay_server)
            await asyncio.sleep(0.005)

        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            async with engine.connect() as conn:
                unsent = (await conn.execute(select(func.count()).where(table.c.sent_at.is_(None)))).scalar_one()
            if unsent == 0:
                break
            assert time.monotonic() < deadline, f"{unsent} events still unsent {SETTLE_SECONDS:.0f}s after the kill"
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(relaying, timeout=10)

        assert nc.stats["reconnects"] >= 1, "the relay's connection never moved to another server"
        # the command line's check of HUB_NATS_URL accepts a cluster while any of its servers answers
        await check_nats(",".join([relay_server.url, *(s.url for s in cluster.servers if s is not relay_server)]))
        with pytest.raises(HubError, match="cannot connect to NATS"):
            await check_nats(relay_server.url)
        assert cluster.by_port(nc.connected_url.port) is not relay_server
        info = await _stream_info(js)
        assert info.cluster.leader != relay_server.name
        assert info.state.messages == len(recorded), "the stream lost events or holds duplicates"
        in_stream = await _every_event_id_in_the_stream(js, len(recorded))
        assert sorted(in_stream) == sorted(recorded)  # each exactly once
    finally:
        await hub_nats.close(nc)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


def test_a_server_killed_during_a_stream_of_writes_loses_and_duplicates_nothing(settings):
    with nats_cluster(3) as cluster:
        asyncio.run(_scenario(cluster, settings.database_url))
