"""Outbox relay throughput: committed outbox rows → NATS JetStream, against a bare nats-py publish loop.

The training outbox is filled with real session-RPE events from a synthetic league, then ``OutboxRelay.drain`` (claim
a batch FOR UPDATE SKIP LOCKED, publish_async, await the acks, mark sent) is timed. The baseline publishes the same
payloads with the same headers and the same window of acks in flight, straight from memory: what nats-py and the
server can do with no database around it. The two alternate for ``--rounds`` rounds, each relay round on a refilled
outbox with fresh event ids (JetStream would drop repeated ones unstored); the medians are compared, so a neighbour's
burst on a shared machine hits both sides rather than one.

    python -m bench relay [--events 20000 --rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid

from sqlalchemy import delete, insert

from bench.common import infra, print_table, quick, verdict
from bench.results import write_result
from hub.league import LeagueSize, league_events, plan_league
from messaging import nats as hub_nats
from messaging.relay import OutboxRelay
from operational.kit.db import create_engine
from operational.training.models import outbox

TARGET_RATIO = 0.70


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench relay")
    parser.add_argument("--events", type=int, default=2000 if quick() else 20000)
    parser.add_argument("--batch-size", type=int, default=500, help="the relay's batch (HUB_RELAY_BATCH_SIZE)")
    parser.add_argument("--rounds", type=int, default=1 if quick() else 3, help="alternating runs; medians kept")
    return parser.parse_args(argv)


def _league_rows(count: int) -> list[dict]:
    # about 0.6 logged sessions per player and day (rest days, missed sessions, injuries)
    teams = max(1, count // (25 * 120 * 0.55) + 1)
    league = plan_league(LeagueSize(orgs=1, teams=int(teams), players=25, days=120), seed=7)
    rows = []
    for envelope in league_events(league):
        if envelope.type == "training.session_rpe.logged":
            envelope_json = envelope.model_dump(mode="json")
            rows.append({"event_id": envelope.event_id, "subject": envelope.subject, "envelope": envelope_json})
            if len(rows) == count:
                break
    return rows


async def _fill(engine, rows: list[dict]) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(outbox.table))
        fresh = [{**row, "event_id": uuid.uuid4()} for row in rows]
        for start in range(0, len(fresh), 5000):
            await conn.execute(insert(outbox.table), fresh[start : start + 5000])


async def _bare_publish(js, payloads: list[tuple[str, bytes]], batch_size: int) -> tuple[float, float]:
    """Events a second, and CPU seconds of this process an event."""
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(payloads), batch_size):
        acks = [
            await js.publish_async(subject, body, headers={"Nats-Msg-Id": str(uuid.uuid4())})
            for subject, body in payloads[start : start + batch_size]
        ]
        await asyncio.gather(*acks)
    return len(payloads) / (time.perf_counter() - started), (time.process_time() - cpu) / len(payloads)


async def _run(args) -> dict:
    rows = _league_rows(args.events)
    payloads = [(r["subject"], _dumps(r["envelope"])) for r in rows]
    relay_rates, bare_rates, relayed = [], [], 0
    # CPU of this process an event: on a shared machine the rates follow how much of a core each side gets
    relay_cpu, bare_cpu = [], []
    with infra() as servers:
        nc = await hub_nats.connect(servers.nats_url, name="bench-relay")
        js = nc.jetstream()
        await hub_nats.ensure_streams(js)
        engine = create_engine(servers.database_url, pool_size=2)
        try:
            for _ in range(args.rounds):
                await _fill(engine, rows)
                relay = OutboxRelay(
                    engine=engine,
                    database_url=servers.database_url,
                    table=outbox.table,
                    js=js,
                    batch_size=args.batch_size,
                )
                started, cpu = time.perf_counter(), time.process_time()
                relayed = await relay.drain()
                relay_rates.append(relayed / (time.perf_counter() - started))
                relay_cpu.append((time.process_time() - cpu) / relayed)
                rate, cpu_each = await _bare_publish(js, payloads, args.batch_size)
                bare_rates.append(rate)
                bare_cpu.append(cpu_each)
        finally:
            await engine.dispose()
            await nc.drain()
    relay_rate, bare_rate = statistics.median(relay_rates), statistics.median(bare_rates)
    return {
        "events": len(rows),
        "relayed": relayed,
        "batch_size": args.batch_size,
        "rounds": args.rounds,
        "relay_events_per_s_each_round": [round(r) for r in relay_rates],
        "bare_publish_events_per_s_each_round": [round(r) for r in bare_rates],
        "relay_events_per_s": round(relay_rate),
        "bare_publish_events_per_s": round(bare_rate),
        "relay_vs_bare_ratio": round(relay_rate / bare_rate, 3),
        "relay_cpu_us_per_event_median": round(statistics.median(relay_cpu) * 1e6, 1),
        "bare_cpu_us_per_event_median": round(statistics.median(bare_cpu) * 1e6, 1),
        "target_min_ratio": TARGET_RATIO,
        "target_met": relay_rate / bare_rate >= TARGET_RATIO and relayed == len(rows),
    }


def _dumps(envelope: dict) -> bytes:
    return json.dumps(envelope, separators=(",", ":")).encode()


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    result = asyncio.run(_run(args))
    ratio = result["relay_vs_bare_ratio"]
    rows = [
        ("outbox relay (Postgres → JetStream)", result["relay_events_per_s"], f"{ratio:.2f}"),
        ("bare publish_async loop (baseline)", result["bare_publish_events_per_s"], "1.00"),
    ]
    title = f"relay ({result['events']} events, batch {args.batch_size}, median of {args.rounds} rounds)"
    print_table(title, ("path", "events/s", "ratio"), rows)
    print(f"  target: relay ≥ {TARGET_RATIO:.0%} of the bare loop: {verdict(result['target_met'])}")
    write_result("relay", result)
    return result


if __name__ == "__main__":
    main()
