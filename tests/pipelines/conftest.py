import pytest

from warehouse.duckdb_warehouse import DuckDBWarehouse


@pytest.fixture
def warehouse(tmp_path, monkeypatch: pytest.MonkeyPatch) -> DuckDBWarehouse:
    """An empty DuckDB warehouse (``raw.events`` made) that dbt, run in this process, builds into."""
    warehouse = DuckDBWarehouse(tmp_path / "hub.duckdb", tmp_path / "serving")
    for name, value in warehouse.dbt_environment().items():
        monkeypatch.setenv(name, value)
    with warehouse.session() as session:
        session.ensure_raw_schema()
    return warehouse
