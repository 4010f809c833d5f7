"""Loading into raw.events: replays and redeliveries never make a second row."""

from __future__ import annotations

import uuid
from contextlib import closing
from datetime import date

import duckdb
import orjson

from contracts.checks import checked_document
from tests.warehouse.events import session_rpe_logged, team_created
from warehouse.raw import load_events, raw_event_of_document


def _events(count: int):
    org_id = uuid.uuid4()
    return [
        session_rpe_logged(
            org_id=org_id, player_id=uuid.uuid4(), session_date=date(2026, 1, 5), rpe=7, duration_minutes=60
        )
        for _ in range(count - 1)
    ] + [team_created(org_id=org_id)]


def test_replaying_the_same_events_leaves_one_row_per_event(tmp_path):
    events = _events(5)
    with closing(duckdb.connect(str(tmp_path / "hub.duckdb"))) as conn:
        assert load_events(conn, events, load_id="first") == 5
        assert load_events(conn, events, load_id="replay") == 0
        rows = conn.execute("SELECT event_id, load_id FROM raw.events ORDER BY event_id").fetchall()
    assert sorted(r[0] for r in rows) == sorted(str(e.event_id) for e in events)
    assert {r[1] for r in rows} == {"first"}  # the replay did not touch the rows already there


def test_duplicates_inside_one_batch_and_against_the_table_are_skipped(tmp_path):
    first, second = _events(2), _events(3)
    with closing(duckdb.connect(str(tmp_path / "hub.duckdb"))) as conn:
        assert load_events(conn, first) == 2
        # a redelivered batch can hold an event twice and events already loaded
        assert load_events(conn, [*second, second[0], *first, second[1]]) == 3
        counts = conn.execute("SELECT count(*), count(DISTINCT event_id) FROM raw.events").fetchone()
    assert counts == (5, 5)


def test_payload_and_envelope_land_in_their_columns(tmp_path):
    event = _events(2)[0]
    with closing(duckdb.connect(str(tmp_path / "hub.duckdb"))) as conn:
        load_events(conn, [event], load_id="load-1", stream_sequences={str(event.event_id): 42})
        row = conn.execute(
            "SELECT type, version, subject, org_id, stream_sequence, load_id, "
            "CAST(json_extract_string(data, '$.rpe') AS INTEGER), occurred_at FROM raw.events"
        ).fetchone()
    assert row[:7] == (
        "training.session_rpe.logged",
        1,
        "hub.training.session_rpe.logged",
        str(event.org_id),
        42,
        "load-1",
        7,
    )
    assert row[7] == event.occurred_at


def test_a_body_with_data_twice_is_loaded_with_the_copy_it_was_read_with(tmp_path):
    event = _events(2)[0]
    body = b'{"data": {"rpe": 99}, ' + event.model_dump_json().encode()[1:]  # orjson, as pydantic, keeps the last
    document = orjson.loads(body)
    with closing(duckdb.connect(str(tmp_path / "hub.duckdb"))) as conn:
        load_events(conn, [raw_event_of_document(document)])
        (data,) = conn.execute("SELECT data FROM raw.events").fetchone()
    assert orjson.loads(data) == document["data"] == event.data.model_dump(mode="json")


def test_a_body_with_a_key_twice_inside_data_is_loaded_with_the_copy_that_was_checked(tmp_path):
    event = _events(2)[0]
    body = event.model_dump_json().replace('"rpe":7', '"rpe":99,"rpe":7').encode()
    document = checked_document(body)
    assert document is not None and document["data"]["rpe"] == 7  # the contract's check read the last copy
    with closing(duckdb.connect(str(tmp_path / "hub.duckdb"))) as conn:
        load_events(conn, [raw_event_of_document(document)])
        (rpe,) = conn.execute("SELECT CAST(json_extract_string(data, '$.rpe') AS INTEGER) FROM raw.events").fetchone()
    assert rpe == 7  # not 99, the first copy, outside the contract's 0-10
