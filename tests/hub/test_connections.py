"""The Postgres connection budget on real servers: `hub serve` and `hub up` refuse, in one line naming the settings to
change, to start more API processes than the server has connections for; `hub up`'s embedded Postgres is started
with a max_connections sized to what it runs."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from hub.connections import (
    PIPELINE_CONNECTIONS,
    ConnectionBudget,
    check_budget,
    server_limit,
    system_budget,
)
from hub.errors import HubError
from hub.settings import RuntimeSettings
from shared_settings import connections_per_api_process
from tests.hub.processes import run_hub


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _too_many_workers(database_url: str, pool_size: int = 10) -> int:
    """The fewest API processes of ``pool_size`` whose budget (with the worker's) exceeds the server's limit."""
    usable = server_limit(database_url).usable
    return (usable - ConnectionBudget(0, pool_size).worker) // connections_per_api_process(pool_size) + 1


def test_the_budget_counts_both_pools_of_every_api_process_and_the_worker():
    budget = ConnectionBudget(api_processes=4, pool_size=10)
    assert budget.per_api_process == 30  # writes 10 + 10 overflow, reads 5 + 5 overflow
    assert budget.total == 4 * 30 + 8
    assert ConnectionBudget(api_processes=1, pool_size=1).per_api_process == 2 + 2  # the read pool is never empty
    sized = budget.sized_max_connections()
    assert sized >= budget.total + 20 + 3 and sized % 10 == 0
    assert ConnectionBudget(api_processes=1, pool_size=2).sized_max_connections() == 100  # never below the default


@pytest.mark.parametrize(
    ("argv", "pool_size"),
    [(["serve", "gateway"], 10), (["serve", "training"], 10), (["serve", "gateway"], 40)],
    ids=["gateway", "one service", "larger pool"],
)
def test_hub_serve_refuses_more_connections_than_the_server_has(database_url, argv, pool_size):
    limit = server_limit(database_url)
    workers = _too_many_workers(database_url, pool_size)
    budget = ConnectionBudget(api_processes=workers, pool_size=pool_size)
    env = {"HUB_DATABASE_URL": database_url, "HUB_DATABASE_POOL_SIZE": str(pool_size)}
    result = run_hub(*argv, "--workers", str(workers), env=env)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("hub: error: too many database connections: the Postgres server at ")
    assert f"accepts {limit.usable} (max_connections {limit.max_connections} less {limit.reserved} reserved)" in line
    assert f"may open {budget.total}: {budget.explained()}" in line
    assert f"(HUB_DATABASE_POOL_SIZE={pool_size}) + the worker's 8" in line
    assert "Lower HUB_API_WORKERS (--workers for `hub serve`) or HUB_DATABASE_POOL_SIZE" in line
    assert f"raise the server's max_connections to {budget.sized_max_connections()}" in line


def test_a_budget_within_the_limit_passes_and_one_over_it_by_one_does_not(database_url):
    limit = server_limit(database_url)
    fits = ConnectionBudget(api_processes=0, pool_size=10, worker=limit.usable)
    assert check_budget(database_url, fits) == limit
    with pytest.raises(HubError, match="too many database connections"):
        check_budget(database_url, ConnectionBudget(api_processes=0, pool_size=10, worker=limit.usable + 1))


def test_hub_up_refuses_an_external_database_too_small_before_starting_anything(database_url, tmp_path):
    workers = _too_many_workers(database_url)
    env = {"HUB_DATABASE_URL": database_url, "HUB_API_WORKERS": str(workers), "HUB_VAR_DIR": str(tmp_path / "var")}
    result = run_hub("up", env=env, timeout=120)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("hub: error: too many database connections")
    assert f"{workers} API processes x 30" in line and "HUB_API_WORKERS" in line
    assert "nats" not in result.stdout  # stopped at the database, before NATS or any component
    assert not (tmp_path / "var" / "runtime.json").exists()


def test_a_warehouse_on_the_same_server_counts_the_pipeline_and_the_stats_api(database_url):
    from pipelines.dbt_build import DbtBuildResource
    from warehouse.postgres_warehouse import POOL_MAX_SIZE

    assert DbtBuildResource().threads + 1 <= PIPELINE_CONNECTIONS  # dbt's threads and its own connection at least
    same = make_url(database_url).set(database="hub_warehouse").render_as_string(hide_password=False)
    on_same = system_budget(RuntimeSettings(warehouse_url=same), api_processes=2, database_url=database_url)
    assert on_same.warehouse == PIPELINE_CONNECTIONS + POOL_MAX_SIZE
    assert "HUB_WAREHOUSE_URL" in on_same.explained()
    # the same server spelt another way: a loopback name for a loopback address
    loopback = "postgresql://hub@127.0.0.1:55433/hockey_hub"
    spelt = RuntimeSettings(warehouse_url="postgresql://hub@localhost:55433/hub_warehouse")
    assert system_budget(spelt, api_processes=2, database_url=loopback).warehouse == on_same.warehouse
    other_port = RuntimeSettings(warehouse_url="postgresql://hub@localhost:55434/hub_warehouse")
    assert system_budget(other_port, api_processes=2, database_url=loopback).warehouse == 0
    elsewhere = "postgresql://hub@warehouse.example:5432/hub_warehouse"
    on_other = system_budget(RuntimeSettings(warehouse_url=elsewhere), api_processes=2, database_url=database_url)
    assert on_other.warehouse == 0
    duckdb = system_budget(RuntimeSettings(), api_processes=2, database_url=database_url)
    assert duckdb.total == 2 * 30 + 8


@pytest.fixture
def var_dir(monkeypatch) -> Iterator[Path]:
    # a short path of its own under /tmp: pgserver's Unix socket lives in the data directory (see tests/conftest.py)
    for name in ("HUB_DATABASE_URL", "HUB_API_WORKERS", "HUB_DATABASE_POOL_SIZE", "HUB_WAREHOUSE_URL"):
        monkeypatch.delenv(name, raising=False)
    directory = Path(tempfile.mkdtemp(prefix="hub-budget-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def _max_connections(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SHOW max_connections").fetchone()[0])


def test_hub_up_sizes_its_embedded_postgres_to_the_budget_and_again_when_the_settings_change(var_dir):
    from hub.runtime import Runtime

    def start(**settings) -> tuple[Runtime, int]:
        runtime = Runtime(RuntimeSettings(var_dir=var_dir, **settings), say=lambda line: None)
        runtime._start_database()
        assert runtime.postgres is not None
        try:
            return runtime, _max_connections(runtime.database_url)
        finally:
            runtime.postgres.stop()

    budget = ConnectionBudget(api_processes=6, pool_size=10)
    runtime, max_connections = start(api_workers=6)
    assert budget.total > 100 - 3  # more than a default server takes, so the sizing is what lets it start
    assert max_connections == budget.sized_max_connections()
    assert runtime.database_url.endswith("/hockey_hub") or "/hockey_hub?" in runtime.database_url

    _, restarted = start(api_workers=6)  # kept in the data directory: no change, no restart needed
    assert restarted == max_connections
    _, smaller = start(api_workers=1, database_pool_size=4)
    assert smaller == ConnectionBudget(api_processes=1, pool_size=4).sized_max_connections() == 100


def test_hub_serve_with_a_malformed_database_url_says_what_is_expected():
    result = run_hub("serve", "gateway", "--workers", "1", env={"HUB_DATABASE_URL": "localhost:5432/hockey_hub"})
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "HUB_DATABASE_URL is not a database URL" in line and "postgresql://" in line
