"""Exactly once on both warehouse adapters: a batch of new events goes in as a plain insert, and whatever a batch
holds that is already loaded (a redelivery, a republished event, an event twice in the batch, the batch a crash
interrupted) leaves one row per event, loses none, and is not counted as inserted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.events import club_events
from warehouse.duckdb_warehouse import DuckDBWarehouse
from warehouse.postgres_warehouse import PostgresWarehouse
from warehouse.raw import raw_event

CRASH_TIMEOUT_S = 60

# A load that dies between its INSERT and its COMMIT: the process kills itself with SIGKILL, as a crash would.
_CRASH_DUCKDB = """
import json, os, signal, sys
import duckdb
from contracts.registry import parse_event
from warehouse import raw
events = [parse_event(body) for body in json.loads(sys.stdin.read())]
conn = duckdb.connect(sys.argv[1])
raw.ensure_raw_schema(conn)
conn.register(raw._INCOMING, raw.events_to_arrow(events, load_id="crashed"))
conn.execute("BEGIN TRANSACTION")
conn.execute(raw._INSERT_EVENTS)
os.kill(os.getpid(), signal.SIGKILL)
"""
_CRASH_POSTGRES = """
import json, os, signal, sys
from contracts.registry import parse_event
from warehouse.postgres_warehouse import PostgresWarehouse
from warehouse.raw import raw_event
events = [parse_event(body) for body in json.loads(sys.stdin.read())]
with PostgresWarehouse(sys.argv[1]).session() as session:
    session.conn.execute("BEGIN")  # the load's own transaction becomes a savepoint inside this one
    session.load_events(events, load_id="crashed")
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DuckDBWarehouse | PostgresWarehouse]:
    if request.param == "duckdb":
        yield DuckDBWarehouse(tmp_path / "hub.duckdb", tmp_path / "serving")
    else:
        yield request.getfixturevalue("postgres_warehouse")


def _rows(session) -> dict[str, str]:
    return dict(session.fetchall("SELECT event_id, load_id FROM raw.events"))


def _ids(events) -> set[str]:
    return {str(event.event_id) for event in events}


def test_a_batch_of_new_events_is_inserted_whole(warehouse):
    events = club_events(40)
    with warehouse.session() as session:
        assert session.load_events(events, load_id="first") == 40
        assert _rows(session) == dict.fromkeys(_ids(events), "first")


def test_a_batch_holding_an_event_already_loaded_inserts_only_the_others(warehouse):
    loaded, new = club_events(5), club_events(7)
    with warehouse.session() as session:
        session.load_events(loaded, load_id="first")
        # the loaded event is in the middle of the batch: the rows before it must not stay twice, nor those after go
        assert session.load_events([*new[:3], loaded[2], *new[3:]], load_id="second") == 7
        rows = _rows(session)
    assert rows == {**dict.fromkeys(_ids(loaded), "first"), **dict.fromkeys(_ids(new), "second")}


def test_an_event_twice_in_one_batch_is_one_row(warehouse):
    events = club_events(4)
    with warehouse.session() as session:
        assert session.load_events([*events, events[0], events[3]], load_id="first") == 4
        assert session.fetchall("SELECT count(*), count(DISTINCT event_id) FROM raw.events") == [(4, 4)]


def test_a_batch_wholly_loaded_already_inserts_nothing(warehouse):
    events = club_events(6)
    with warehouse.session() as session:
        session.load_events(events, load_id="first")
        assert session.load_events(events[::-1], load_id="redelivered") == 0
        assert _rows(session) == dict.fromkeys(_ids(events), "first")


def test_a_batch_a_crash_interrupted_is_loaded_whole_on_redelivery(warehouse, tmp_path: Path):
    committed, interrupted = club_events(5), club_events(8)
    with warehouse.session() as session:
        session.load_events(committed, load_id="first")
    # neither batch was acked: both come back, the committed one after the interrupted one's partial transaction
    target = str(warehouse.path) if isinstance(warehouse, DuckDBWarehouse) else warehouse.url
    script = _CRASH_DUCKDB if isinstance(warehouse, DuckDBWarehouse) else _CRASH_POSTGRES
    crash = subprocess.run(
        [sys.executable, "-c", script, target],
        input=json.dumps([event.model_dump_json() for event in interrupted]),
        capture_output=True,
        text=True,
        timeout=CRASH_TIMEOUT_S,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert crash.returncode == -signal.SIGKILL, crash.stderr
    with warehouse.session() as session:
        assert _rows(session) == dict.fromkeys(_ids(committed), "first")  # the crashed transaction left nothing
        assert session.load_events([*interrupted, *committed], load_id="redelivered") == 8
        rows = _rows(session)
    assert rows == {**dict.fromkeys(_ids(committed), "first"), **dict.fromkeys(_ids(interrupted), "redelivered")}


def test_a_warehouse_made_before_the_trace_id_column_takes_a_batch(tmp_path: Path):
    path = tmp_path / "hub.duckdb"
    old, new = club_events(3), club_events(4)
    warehouse = DuckDBWarehouse(path, tmp_path / "serving")
    with warehouse.session() as session:
        session.load_events(old, load_id="old")
        session.execute("ALTER TABLE raw.events DROP COLUMN trace_id")
    with warehouse.session() as session:
        assert session.load_events([*new, old[0]], load_id="new", trace_ids={str(new[0].event_id): "ab" * 16}) == 4
        assert session.fetchall("SELECT count(*), count(trace_id) FROM raw.events") == [(7, 1)]


def test_a_row_the_table_refuses_for_another_reason_still_fails_the_whole_load(tmp_path: Path):
    """Falling back to the checked insert must not turn a refusal other than a duplicate into a skipped row."""
    warehouse = DuckDBWarehouse(tmp_path / "hub.duckdb", tmp_path / "serving")
    loaded, batch = club_events(1), [raw_event(event) for event in club_events(3)]
    broken = batch[1]._replace(type=None)  # raw.events.type is NOT NULL
    with warehouse.session() as session:
        session.load_events(loaded, load_id="first")
        with pytest.raises(duckdb.ConstraintException):
            session.load_events([batch[0], broken, batch[2], *loaded], load_id="second")
        assert session.fetchall("SELECT count(*) FROM raw.events") == [(1,)]
