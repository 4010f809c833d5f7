from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from operational.stats.app import create_app
from operational.stats.config import StatsSettings


@pytest.fixture
def stats(stats_settings: StatsSettings) -> Iterator[TestClient]:
    with TestClient(create_app(stats_settings)) as client:
        yield client
