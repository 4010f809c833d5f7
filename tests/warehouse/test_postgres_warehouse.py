"""The Postgres adapter of the warehouse port: loads as idempotent as DuckDB's, and a serving schema that readers
see whole (the previous build or the next, never half), swapped in one transaction."""

from __future__ import annotations

import psycopg
import pytest

from shared_settings import SharedSettings
from tests.warehouse.events import club_events
from warehouse.duckdb_warehouse import DuckDBWarehouse
from warehouse.port import open_warehouse, serving_cursor
from warehouse.postgres_warehouse import PostgresWarehouse, pyformat


def test_replays_and_duplicates_leave_one_row_per_event(postgres_warehouse: PostgresWarehouse):
    first, second = club_events(5), club_events(3)
    with postgres_warehouse.session() as session:
        assert session.load_events(first, load_id="first", stream_sequences={str(first[0].event_id): 42}) == 5
        assert session.load_events(first, load_id="replay") == 0
        # a redelivered batch can hold an event twice and events already loaded
        assert session.load_events([*second, second[0], *first, second[1]], load_id="second") == 3
        assert session.fetchall("SELECT count(*), count(DISTINCT event_id) FROM raw.events") == [(8, 8)]
        assert session.fetchall(
            "SELECT load_id, stream_sequence, (data ->> 'rpe')::int FROM raw.events WHERE event_id = ?",
            [str(first[0].event_id)],
        ) == [("first", 42, 7)]
        frame = session.frame("SELECT event_id, type FROM raw.events WHERE load_id = ?", ["second"])
    assert sorted(frame["event_id"].to_pylist()) == sorted(str(e.event_id) for e in second)


def _build_marts(session, rows: int) -> None:
    session.conn.execute("CREATE SCHEMA IF NOT EXISTS marts")
    session.conn.execute("DROP TABLE IF EXISTS marts.fct_example")
    session.conn.execute("CREATE TABLE marts.fct_example (example_id integer PRIMARY KEY, label varchar)")
    session.conn.execute("COMMENT ON COLUMN marts.fct_example.label IS 'What the row is'")
    session.conn.execute("INSERT INTO marts.fct_example SELECT n, 'row ' || n FROM generate_series(1, %s) AS n", [rows])


def test_readers_see_one_whole_build_and_the_next_after_the_swap(postgres_warehouse: PostgresWarehouse):
    reader = postgres_warehouse.reader()
    try:
        assert reader.cursor() is None  # nothing published yet
        assert postgres_warehouse.serving_published_at() is None
        with postgres_warehouse.session() as session:
            _build_marts(session, rows=1)
            assert session.mart_tables() == ["marts.fct_example"]
            session.publish_serving(session.mart_tables())
        with serving_cursor(reader) as cursor:
            assert cursor.execute("SELECT count(*) FROM fct_example WHERE example_id >= ?", [1]).fetchone() == (1,)

        # a reader in the middle of a transaction on the first build holds it; the next build is swapped in anyway
        with psycopg.connect(postgres_warehouse.url) as long_reader:
            assert long_reader.execute("SELECT count(*) FROM serving.fct_example").fetchone() == (1,)
            with postgres_warehouse.session() as session:
                _build_marts(session, rows=3)
                session.publish_serving(session.mart_tables())
                held = session.fetchall("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'serving_retired_%'")
            with serving_cursor(reader) as cursor:
                assert cursor.execute("SELECT count(*) FROM fct_example").fetchone() == (3,)
        assert len(held) == 1  # the copy the long reader held outlived the swap
        with postgres_warehouse.session() as session:
            session.publish_serving(session.mart_tables())  # and goes once no one holds it
            schemas = session.fetchall("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'serving%'")
            # the dbt docs travel with the copy
            label = session.fetchall("SELECT col_description('serving.fct_example'::regclass, 2)")
        assert schemas == [("serving",)]
        assert label == [("What the row is",)]
        assert postgres_warehouse.serving_published_at() is not None
    finally:
        reader.close()


def test_the_settings_pick_the_adapter(tmp_path):
    assert isinstance(open_warehouse(SharedSettings(var_dir=tmp_path)), DuckDBWarehouse)
    url = "postgresql://hub:secret@db.example:5432/hub_warehouse"
    warehouse = open_warehouse(SharedSettings(warehouse_url=url))
    assert isinstance(warehouse, PostgresWarehouse)
    assert warehouse.dbt_environment()["HUB_WAREHOUSE_PG_DATABASE"] == "hub_warehouse"
    assert "secret" not in warehouse.describe()
    with pytest.raises(ValueError, match="postgresql://"):
        open_warehouse(SharedSettings(warehouse_url="mysql://db.example/hub"))


def test_question_marks_become_placeholders_outside_quotes_only():
    assert pyformat("SELECT '?', x FROM t WHERE a = ? AND b LIKE 'a%' AND c = ?") == (
        "SELECT '?', x FROM t WHERE a = %s AND b LIKE 'a%%' AND c = %s"
    )
