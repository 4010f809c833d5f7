"""Warehouse ingest throughput: NATS → DuckDB ``raw.events`` rows/s, against a bare fetch + ack loop.

A synthetic league's events (memberships, session RPE, wellness, tests, availability) are put on the stream, then
the pipeline's ``WarehouseConsumer`` drains them into a DuckDB file (parse and validate every event, one Arrow table
and one idempotent INSERT per batch, ack after commit). The baseline is a second durable consumer on the same
stream that only fetches batches of the same size and acks every message: the floor of reading JetStream from
Python with nats-py's own fetch. The ingest fetches with messaging/batch_pull.py instead (one wait a batch rather than
a task and a timer a message), so it can beat that floor; a third loop, fetch + ack through the same batch pull, is
reported beside it (not a target) to show what the check, the rows and the insert still add.

    python -m bench ingest [--players 25 --teams 4 --days 120]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import duckdb
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig

from bench.common import infra, print_table, quick, verdict
from bench.results import write_result
from contracts.envelope import STREAM_NAME
from hub.league import LeagueSize, league_events, plan_league
from hub.league_seed import publish_league
from messaging import nats as hub_nats
from messaging.batch_pull import BatchPull
from pipelines.ingest import WarehouseConsumer
from warehouse.duckdb_warehouse import DuckDBSession
from warehouse.raw import load_events

TARGET_RATIO = 0.70


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench ingest")
    parser.add_argument("--teams", type=int, default=1 if quick() else 4)
    parser.add_argument("--players", type=int, default=10 if quick() else 25)
    parser.add_argument("--days", type=int, default=14 if quick() else 120)
    parser.add_argument("--rounds", type=int, default=1 if quick() else 3, help="alternating runs; medians kept")
    return parser.parse_args(argv)


async def _bare_fetch_and_ack(js, total: int, batch_size: int, durable: str) -> int:
    config = ConsumerConfig(durable_name=durable, ack_policy=AckPolicy.EXPLICIT, max_ack_pending=batch_size * 4)
    await js.add_consumer(STREAM_NAME, config)
    sub = await js.pull_subscribe_bind(durable=durable, stream=STREAM_NAME)
    seen = 0
    while seen < total:
        try:
            msgs = await sub.fetch(batch_size, timeout=2.0)
        except NatsTimeoutError:
            break
        for msg in msgs:
            await msg.ack()
        seen += len(msgs)
    return seen


async def _batch_pull_fetch_and_ack(js, total: int, batch_size: int, durable: str) -> int:
    """The bare loop with the ingest's own fetch (messaging/batch_pull.py)."""
    config = ConsumerConfig(durable_name=durable, ack_policy=AckPolicy.EXPLICIT, max_ack_pending=batch_size * 4)
    await js.add_consumer(STREAM_NAME, config)
    pull = BatchPull(js._nc, STREAM_NAME, durable)
    seen = 0
    try:
        while seen < total and (msgs := await pull.fetch(batch_size, timeout=2.0)):
            for msg in msgs:
                await msg.ack()
            seen += len(msgs)
    finally:
        await pull.close()
    return seen


async def _run(args) -> dict:
    league = plan_league(LeagueSize(orgs=1, teams=args.teams, players=args.players, days=args.days), seed=5)
    with infra(postgres=False) as servers:
        report = await publish_league(league, servers.nats_url)
        total = sum(report.events.values())
        nc = await hub_nats.connect(servers.nats_url, name="bench-ingest")
        js = nc.jetstream()
        # the pipeline runner pays its one-time imports (pyarrow's pandas bridge, about 5 s) once at start-up
        with duckdb.connect() as scratch:
            load_events(scratch, [next(iter(league_events(league)))])
        ingest_rates, bare_rates, rows = [], [], 0
        # CPU of this process (every thread) an event: on a shared machine the rates follow how much of a core each
        # side gets, the CPU cost does not
        ingest_cpu, bare_cpu, pull_cpu = [], [], []
        try:
            # alternating rounds, each with fresh durable consumers and a fresh warehouse file: on a shared
            # machine a neighbour's burst then hits both sides instead of one
            for round_no in range(args.rounds):
                started, cpu = time.perf_counter(), time.process_time()
                bare = await _bare_fetch_and_ack(js, total, WarehouseConsumer.batch_size, f"bench-bare-{round_no}")
                bare_rates.append(bare / (time.perf_counter() - started))
                bare_cpu.append((time.process_time() - cpu) / bare)

                cpu = time.process_time()
                pulled = await _batch_pull_fetch_and_ack(
                    js, total, WarehouseConsumer.batch_size, f"bench-pull-{round_no}"
                )
                pull_cpu.append((time.process_time() - cpu) / pulled)

                consumer_class = type("RoundConsumer", (WarehouseConsumer,), {"durable_name": f"wh-{round_no}"})
                conn = duckdb.connect(str(servers.work_dir / f"hub-{round_no}.duckdb"))
                try:
                    consumer = consumer_class(js, DuckDBSession(conn, servers.work_dir), load_id="bench")
                    started, cpu = time.perf_counter(), time.process_time()
                    await consumer.drain(max_batches=10**6)
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                    rows = conn.execute("SELECT count(*) FROM raw.events").fetchone()[0]
                    ingest_cpu.append(cpu / rows)
                finally:
                    conn.close()
                ingest_rates.append(rows / elapsed)
        finally:
            # bounded: a pull subscription's drain can wait out nats-py's 30 s default in full
            await hub_nats.close(nc)
    ingest_rate, bare_rate = statistics.median(ingest_rates), statistics.median(bare_rates)
    return {
        "rounds": args.rounds,
        "ingest_rows_per_s_each_round": [round(r) for r in ingest_rates],
        "bare_msgs_per_s_each_round": [round(r) for r in bare_rates],
        "league": {"teams": args.teams, "players_per_team": args.players, "days": args.days},
        "events": total,
        "raw_rows": rows,
        "batch_size": WarehouseConsumer.batch_size,
        "ingest_rows_per_s_median": round(ingest_rate),
        "bare_fetch_ack_msgs_per_s_median": round(bare_rate),
        "ingest_vs_bare_ratio": round(ingest_rate / bare_rate, 3),
        "ingest_cpu_us_per_event_median": round(statistics.median(ingest_cpu) * 1e6, 1),
        "bare_cpu_us_per_msg_median": round(statistics.median(bare_cpu) * 1e6, 1),
        "batch_pull_bare_cpu_us_per_msg_median": round(statistics.median(pull_cpu) * 1e6, 1),
        "target_min_ratio": TARGET_RATIO,
        "target_met": ingest_rate / bare_rate >= TARGET_RATIO and rows == total,
    }


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    result = asyncio.run(_run(args))
    ratio = result["ingest_vs_bare_ratio"]
    rows = [
        ("WarehouseConsumer (NATS → raw.events)", result["ingest_rows_per_s_median"], f"{ratio:.2f}"),
        ("bare fetch + ack loop (baseline)", result["bare_fetch_ack_msgs_per_s_median"], "1.00"),
    ]
    title = f"ingest ({result['events']} events, batch {result['batch_size']}, median of {args.rounds} rounds)"
    print_table(title, ("path", "rows/s", "ratio"), rows)
    print(
        f"  CPU µs an event: ingest {result['ingest_cpu_us_per_event_median']}, bare loop "
        f"{result['bare_cpu_us_per_msg_median']}, bare loop with the ingest's batch pull "
        f"{result['batch_pull_bare_cpu_us_per_msg_median']}"
    )
    print(f"  target: ingest ≥ {TARGET_RATIO:.0%} of the bare loop: {verdict(result['target_met'])}")
    write_result("ingest", result)
    return result


if __name__ == "__main__":
    main()
