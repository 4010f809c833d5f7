"""What one 1,000-event batch costs on DuckDB as ``raw.events`` grows (0 / 100 k / 1 M rows), one way against another.

Each size gets its own DuckDB file, filled with synthetic rows in one statement; then batches of new events go in,
the ways alternating (so a neighbour's burst hits every way alike), and the median of each way is kept:

- ``load_events``: the load path as it is (warehouse/raw.py);
- ``anti_join``: INSERT … WHERE NOT EXISTS on event_id, into the table with its primary key;
- ``plain_pk``: a plain INSERT into the table with its primary key (the key still refuses a duplicate);
- ``plain_no_pk``: a plain INSERT into a copy of the table without the key (the floor);
- ``redelivery``: ``load_events`` on a batch half of which is already loaded (the fallback path);
- ``rows_doubled``: rows with an ``event_id`` another row has, afterwards (0 unless exactly once failed).

``--postgres`` times the Postgres adapter's load (COPY into a temporary table, INSERT … ON CONFLICT DO NOTHING) on
a throwaway server the same way: ``load_events`` and ``redelivery``.

    python -m bench ingest_batch [--sizes 0,100000,1000000 --batches 7] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from bench.common import print_table, quick
from bench.results import write_result
from hub.embedded import ensure_database, start_postgres
from warehouse.postgres_warehouse import PostgresWarehouse
from warehouse.raw import RawEvent, ensure_raw_schema, events_to_arrow, load_events

BATCH = 1000
_FILL = """
INSERT INTO {table}
SELECT uuid()::VARCHAR, 'wellness.recorded', 1, 'hub.wellness.recorded', now(), '{org}', NULL, NULL, NULL,
       '{{"sleep_hours": 7.5, "soreness": 3}}'::JSON, range, now(), 'fill', NULL
FROM range({rows})
"""
_FILL_POSTGRES = """
INSERT INTO raw.events (event_id, type, version, subject, occurred_at, org_id, data, stream_sequence, loaded_at,
                        load_id)
SELECT gen_random_uuid()::varchar, 'wellness.recorded', 1, 'hub.wellness.recorded', now(), '{org}',
       '{{"sleep_hours": 7.5, "soreness": 3}}'::jsonb, n, now(), 'fill'
FROM generate_series(1, {rows}) AS n
"""
# what a redelivered batch must never leave: 0 when exactly once held
_DOUBLED = "SELECT count(*) - count(DISTINCT event_id) FROM raw.events"
_SELECT_INCOMING = (
    "SELECT event_id, type, version, subject, occurred_at, org_id, actor_id, subject_id, correlation_id, "
    "CAST(data AS JSON), stream_sequence, loaded_at, load_id, trace_id FROM incoming"
)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench ingest_batch")
    parser.add_argument("--sizes", default="0,10000" if quick() else "0,100000,1000000", help="rows already loaded")
    parser.add_argument("--batches", type=int, default=3 if quick() else 7, help="batches of each way per size")
    parser.add_argument("--postgres", action="store_true", help="the Postgres adapter instead of DuckDB")
    return parser.parse_args(argv)


def _events(count: int, org: str) -> list[RawEvent]:
    now = datetime.now(UTC)
    return [
        RawEvent(
            str(uuid.uuid4()),
            "wellness.recorded",
            1,
            "hub.wellness.recorded",
            now,
            org,
            None,
            None,
            None,
            '{"sleep_hours": 7.5, "soreness": 3}',
        )  # fmt: skip
        for _ in range(count)
    ]


def _arrow(events: list[RawEvent]) -> pa.Table:
    return events_to_arrow(events, load_id="bench")


def _insert(conn: duckdb.DuckDBPyConnection, table: str, incoming: pa.Table, *, anti_join: bool) -> None:
    where = " WHERE NOT EXISTS (SELECT 1 FROM raw.events e WHERE e.event_id = incoming.event_id)" if anti_join else ""
    conn.register("incoming", incoming)
    conn.execute("BEGIN TRANSACTION")
    conn.execute(f"INSERT INTO {table} {_SELECT_INCOMING}{where}")
    conn.execute("COMMIT")
    conn.unregister("incoming")


def _measure_size(directory: Path, rows: int, batches: int) -> dict[str, float]:
    org = str(uuid.uuid4())
    with duckdb.connect(str(directory / f"raw-{rows}.duckdb")) as conn:
        ensure_raw_schema(conn)
        conn.execute("CREATE TABLE raw.events_no_pk AS SELECT * FROM raw.events LIMIT 0")
        for table in ("raw.events", "raw.events_no_pk"):
            conn.execute(_FILL.format(table=table, org=org, rows=rows))
        conn.execute("CHECKPOINT")
        loaded: list[RawEvent] = []

        def redelivery() -> None:
            fresh = _events(BATCH // 2, org)
            load_events(conn, [*fresh, *loaded[-BATCH // 2 :]], load_id="bench")

        def load() -> None:
            batch = _events(BATCH, org)
            load_events(conn, batch, load_id="bench")
            loaded.extend(batch)

        ways: dict[str, Callable[[], None]] = {
            "load_events": load,
            "anti_join": lambda: _insert(conn, "raw.events", _arrow(_events(BATCH, org)), anti_join=True),
            "plain_pk": lambda: _insert(conn, "raw.events", _arrow(_events(BATCH, org)), anti_join=False),
            "plain_no_pk": lambda: _insert(conn, "raw.events_no_pk", _arrow(_events(BATCH, org)), anti_join=False),
            "redelivery": redelivery,
        }
        load()  # warm: the first statement on a file pays for reading its catalog
        times = _timed_rounds(ways, batches)
        doubled = conn.execute(_DOUBLED).fetchone()
    return {**_medians_ms(times), "rows_doubled": doubled[0] if doubled else -1}


def _measure_postgres_size(url: str, rows: int, batches: int) -> dict[str, float]:
    org = str(uuid.uuid4())
    warehouse = PostgresWarehouse(url)
    with warehouse.session() as session:
        session.execute("DROP SCHEMA IF EXISTS raw CASCADE")
        session.ensure_raw_schema()
        session.execute(_FILL_POSTGRES.format(org=org, rows=rows))
        session.execute("VACUUM ANALYZE raw.events")
        loaded: list[RawEvent] = []

        def load() -> None:
            batch = _events(BATCH, org)
            session.load_events(batch, load_id="bench")
            loaded.extend(batch)

        def redelivery() -> None:
            session.load_events([*_events(BATCH // 2, org), *loaded[-BATCH // 2 :]], load_id="bench")

        ways: dict[str, Callable[[], None]] = {"load_events": load, "redelivery": redelivery}
        load()
        times = _timed_rounds(ways, batches)
        doubled = session.fetchall(_DOUBLED)
    return {**_medians_ms(times), "rows_doubled": doubled[0][0]}


def _timed_rounds(ways: dict[str, Callable[[], None]], rounds: int) -> dict[str, list[float]]:
    """Each way's seconds in each of ``rounds`` rounds, the ways taking turns so that drift hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, way in ways.items():
            started = time.perf_counter()
            way()
            times[name].append(time.perf_counter() - started)
    return times


def _medians_ms(times: dict[str, list[float]]) -> dict[str, float]:
    return {name: round(statistics.median(values) * 1000, 1) for name, values in times.items()}


def _measure_postgres(directory: Path, sizes: list[int], batches: int) -> dict[str, dict[str, float]]:
    server = start_postgres(directory / "pg", delete_on_stop=True)
    try:
        url = ensure_database(server.url, "hub_ingest_batch")
        return {str(rows): _measure_postgres_size(url, rows, batches) for rows in sizes}
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="hub-ingest-batch-") as directory:
        if args.postgres:
            ms = _measure_postgres(Path(directory), sizes, args.batches)
        else:
            ms = {str(rows): _measure_size(Path(directory), rows, args.batches) for rows in sizes}
    engine = "postgres" if args.postgres else "duckdb"
    result = {
        "engine": engine,
        "batch_size": BATCH,
        "batches_per_way": args.batches,
        "ms_per_batch_median": ms,
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
    }
    ways = list(next(iter(ms.values())))
    print_table(
        f"one {BATCH}-event batch into raw.events ({engine}), ms, median of {args.batches}",
        ("rows loaded", *ways),
        [(rows, *(figures[way] for way in ways)) for rows, figures in ms.items()],
    )
    write_result(f"ingest_batch_{engine}", result)
    return result


if __name__ == "__main__":
    main()
