"""Test session infrastructure: a throwaway Postgres, nats-server and key pair, all real, on free ports.

Tests isolate by data, not by rollback: every test makes its own club (a new tenant), so the services' own units of
work and the outbox behave exactly as in production.

Fixtures more than one folder uses live in tests/fixtures/ (loaded below); helpers that are not fixtures in plainly
named modules beside the tests that use them (never imported from a conftest.py or a test_*.py). A test runs a
coroutine with ``asyncio.run``.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.embedded import EmbeddedNats, ensure_database, start_nats, start_postgres
from operational.kit.auth import generate_key_pair
from operational.kit.migrations import upgrade_all
from operational.users.config import UsersSettings

# Fixtures shared by more than one test folder; a folder's own fixtures stay in its conftest.py
pytest_plugins = ["tests.fixtures.pipelines", "tests.fixtures.calendar", "tests.fixtures.stats"]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    # pgserver listens on a Unix socket inside the data dir: a short path of its own under /tmp (socket paths are
    # limited to ~100 bytes, and pytest prunes old basetemp folders that a parallel session may still be using).
    data_dir = Path(tempfile.mkdtemp(prefix="hub-pg-")) / "data"
    server = start_postgres(data_dir, delete_on_stop=True)
    yield server.url
    server.stop()
    shutil.rmtree(data_dir.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(postgres_admin_url: str) -> str:
    url = ensure_database(postgres_admin_url, "hub_test")
    upgrade_all(url)
    return url


@pytest.fixture(scope="session")
def nats_server() -> Iterator[EmbeddedNats]:
    store_dir = Path(tempfile.mkdtemp(prefix="hub-nats-"))
    server = start_nats(store_dir)
    yield server
    server.stop()
    shutil.rmtree(store_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("keys")
    generate_key_pair(directory)
    return directory


@pytest.fixture(scope="session")
def settings(database_url: str, nats_server: EmbeddedNats, key_dir: Path, tmp_path_factory) -> UsersSettings:
    return UsersSettings(
        database_url=database_url,
        nats_url=nats_server.url,
        var_dir=tmp_path_factory.mktemp("var"),
        jwt_private_key_path=key_dir / "jwt_private.pem",
        jwt_public_key_path=key_dir / "jwt_public.pem",
        log_json=False,
        # the floor OWASP allows, to keep the suite fast; production settings are higher
        argon2_memory_kib=19 * 1024,
        relay_poll_seconds=0.2,
    )


@pytest.fixture
def gateway(settings: UsersSettings):
    """The all-in-one app served in-process, with the worker's relays publishing its events."""
    from fastapi.testclient import TestClient

    from operational.gateway import create_app
    from tests.messaging import relaying

    with relaying(settings), TestClient(create_app(settings), client=_own_client_address()) as client:
        yield client


@pytest.fixture
def gateway_without_relay(settings: UsersSettings):
    from fastapi.testclient import TestClient

    from operational.gateway import create_app

    with TestClient(create_app(settings), client=_own_client_address()) as client:
        yield client


_addresses = itertools.count(1)


def _own_client_address() -> tuple[str, int]:
    """Each test's client has an address of its own, so sign-in throttling per address never spills between tests."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", 50000


@pytest.fixture
def club(settings: UsersSettings):
    """A fresh club (its own tenant) with a team, a coach and two players."""
    from tests.factories import make_club

    return make_club(settings)
