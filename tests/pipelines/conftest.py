"""A throwaway warehouse per test and a clean HUB_EVENTS stream on the session's NATS server."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from nats.js.errors import NotFoundError

from contracts.envelope import DEAD_LETTER_STREAM, STREAM_NAME, EventEnvelope
from hub.embedded import EmbeddedNats
from messaging.nats import connect, ensure_streams
from pipelines.ingest import WarehouseConsumer
from pipelines.resources import close_nats_connections
from tests.conftest import run


@pytest.fixture(scope="session", autouse=True)
def shared_nats_connections_closed(nats_server: EmbeddedNats):
    """Runs executed in this process share one NATS connection (pipelines/resources.py); it is closed before the
    session's NATS server stops, as the runner closes it at exit."""
    yield
    close_nats_connections()


@dataclass
class PipelineEnv:
    nats_url: str
    warehouse_path: Path
    serving_dir: Path
    dagster_home: Path


@pytest.fixture
def pipeline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nats_server: EmbeddedNats) -> PipelineEnv:
    """Environment the Dagster resources and the dbt profile read, pointing at this test's own files.

    The stream and the `warehouse` consumer are shared by the whole session, so both streams are purged and the
    consumer is removed: the test sees only the messages it publishes.
    """
    env = PipelineEnv(
        nats_url=nats_server.url,
        # dbt-duckdb names the database after the file, so tests use the same file name as production.
        warehouse_path=tmp_path / "warehouse" / "hub.duckdb",
        serving_dir=tmp_path / "serving",
        dagster_home=tmp_path / "dagster",
    )
    for name, value in {
        "HUB_NATS_URL": env.nats_url,
        "HUB_WAREHOUSE_PATH": str(env.warehouse_path),
        "HUB_SERVING_DIR": str(env.serving_dir),
        "DAGSTER_HOME": str(env.dagster_home),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }.items():
        monkeypatch.setenv(name, value)
    run(_reset_streams(env.nats_url))
    return env


async def _reset_streams(url: str) -> None:
    client = await connect(url, name="tests-pipelines")
    try:
        js = client.jetstream()
        await ensure_streams(js)
        await js.purge_stream(STREAM_NAME)
        await js.purge_stream(DEAD_LETTER_STREAM)
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer(STREAM_NAME, WarehouseConsumer.durable_name)
    finally:
        await client.close()


def publish(url: str, events: Sequence[EventEnvelope], *, raw: Sequence[tuple[str, bytes, str]] = ()) -> None:
    """Publish events as the outbox relay does (Nats-Msg-Id = event_id), then any raw (subject, body, msg id)."""

    async def _publish() -> None:
        client = await connect(url, name="tests-publisher")
        try:
            js = client.jetstream()
            for event in events:
                await js.publish(
                    event.subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": str(event.event_id)}
                )
            for subject, body, msg_id in raw:
                await js.publish(subject, body, headers={"Nats-Msg-Id": msg_id})
        finally:
            await client.close()

    run(_publish())


def dead_letters(url: str) -> list[tuple[str, bytes, dict[str, str]]]:
    async def _read() -> list[tuple[str, bytes, dict[str, str]]]:
        client = await connect(url, name="tests-dead-letters")
        try:
            js = client.jetstream()
            info = await js.stream_info(DEAD_LETTER_STREAM)
            messages = []
            for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
                msg = await js.get_msg(DEAD_LETTER_STREAM, seq)
                messages.append((msg.subject, msg.data or b"", dict(msg.headers or {})))
            return messages
        finally:
            await client.close()

    return run(_read())


def project_unit_test_count() -> int:
    """How many dbt unit tests the project declares (every model yml's ``unit_tests``)."""
    import yaml

    from pipelines.dbt_build import DBT_PROJECT_DIR

    return sum(
        len(yaml.safe_load(path.read_text()).get("unit_tests") or [])
        for path in (DBT_PROJECT_DIR / "models").rglob("*.yml")
    )
