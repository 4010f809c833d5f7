from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from operational.stats.app import create_app
from operational.stats.config import StatsSettings
from tests.operational.stats.snapshots import StatsClub, Warehouse, make_stats_club


@pytest.fixture
def stats_settings(key_dir: Path, tmp_path: Path, nats_server) -> StatsSettings:
    return StatsSettings(
        nats_url=nats_server.url,
        var_dir=tmp_path / "var",
        serving_dir=tmp_path / "serving",
        jwt_private_key_path=key_dir / "jwt_private.pem",
        jwt_public_key_path=key_dir / "jwt_public.pem",
        log_json=False,
    )


@pytest.fixture
def warehouse(stats_settings: StatsSettings, tmp_path: Path) -> Iterator[Warehouse]:
    warehouse = Warehouse(tmp_path / "warehouse.duckdb", stats_settings.snapshots_dir)
    yield warehouse
    warehouse.close()


@pytest.fixture
def stats_club(stats_settings: StatsSettings, warehouse: Warehouse) -> StatsClub:
    return make_stats_club(stats_settings, warehouse)


@pytest.fixture
def stats(stats_settings: StatsSettings) -> Iterator[TestClient]:
    with TestClient(create_app(stats_settings)) as client:
        yield client
