"""The dashboards against real APIs served over HTTP: the stats API on a real snapshot, and the gateway for logins,
names, the calendar and training logs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from operational.stats.app import create_app
from operational.stats.config import StatsSettings
from tests.servers import served


@pytest.fixture
def stats_url(stats_settings: StatsSettings) -> Iterator[str]:
    with served(create_app(stats_settings)) as url:
        yield url


# One gateway for the folder: it keeps nothing of a test's in memory (sign-in throttling, usage and the outbox live in
# Postgres, and every test has a club of its own), so its start and stop (engine, NATS) are not paid per test; it stops
# once the folder is done, so it does not follow the events the tests after it publish.
@pytest.fixture(scope="package")
def gateway_url(settings) -> Iterator[str]:
    from operational.gateway import create_app as create_gateway

    with served(create_gateway(settings)) as url:
        yield url
