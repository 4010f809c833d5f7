"""NATS JetStream's memory under a steady stream of events: does it level off, and where?

The soak (``python -m bench soak``) writes about 20 events a second for ten minutes. At that rate a nats-server is
still filling its write cache when the soak ends (its memory rose 21 → 34 MiB), so the soak's whole-process PSS cannot
tell a leak from a warm-up (the soak measures the file store's block buffers apart: bench/soak_memory.py). This run
sends the same events (session-RPE envelopes from a synthetic league, each with its Nats-Msg-Id, to the events stream
as ``ensure_streams`` configures it) at a fixed rate, far faster, and samples the server's PSS: the figure to read is
the growth between the last two thirds of the run, once the duplicate window (2 min) is full.

    python -m bench nats_memory [--rate 300] [--seconds 480]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import print_table, quick, verdict
from bench.relay import _league_rows
from bench.results import write_result
from hub.embedded import start_nats
from messaging import nats as hub_nats

FLAT_WITHIN = 0.10
SAMPLE_EVERY_SECONDS = 5.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench nats_memory")
    parser.add_argument("--rate", type=float, default=300.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=20 if quick() else 480)
    return parser.parse_args(argv)


def _pss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _publish_steadily(url: str, pid: int, rate: float, seconds: float) -> list[tuple[float, int, float]]:
    """(seconds since start, events acknowledged, server PSS MiB) every few seconds."""
    payloads = [(row["subject"], row["envelope"]) for row in _league_rows(5000)]
    nc = await hub_nats.connect(url, name="bench-nats-memory")
    js = nc.jetstream()
    await hub_nats.ensure_streams(js)
    samples, sent, started = [], 0, time.monotonic()
    next_sample = started
    try:
        while (now := time.monotonic()) - started < seconds:
            due = int((now - started) * rate)
            acks = []
            for n in range(sent, due):
                subject, envelope = payloads[n % len(payloads)]
                body = json.dumps({**envelope, "sequence": n}).encode()  # one body per event, as in real traffic
                acks.append(await js.publish_async(subject, body, headers={"Nats-Msg-Id": f"bench-{n}"}))
            if acks:
                await asyncio.gather(*acks)
            sent = due
            if now >= next_sample:
                samples.append((round(now - started, 1), sent, round(_pss_mib(pid), 2)))
                next_sample += SAMPLE_EVERY_SECONDS
            await asyncio.sleep(0.02)
    finally:
        await hub_nats.close(nc)
    return samples


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    store = Path(tempfile.mkdtemp(prefix="hub-bench-nats-memory-"))
    server = start_nats(store)
    try:
        samples = asyncio.run(_publish_steadily(server.url, server.process.pid, args.rate, args.seconds))
    finally:
        server.stop()
        shutil.rmtree(store, ignore_errors=True)
    third = len(samples) // 3
    middle = statistics.mean(s[2] for s in samples[third : 2 * third])
    last = statistics.mean(s[2] for s in samples[2 * third :])
    growth = (last - middle) / middle
    result = {
        "rate_events_per_s": args.rate,
        "seconds": args.seconds,
        "events": samples[-1][1],
        "duplicate_window_s": hub_nats.DUPLICATE_WINDOW_SECONDS,
        "pss_mib_start": samples[0][2],
        "pss_mib_max": max(s[2] for s in samples),
        "pss_mib_mean_middle_third": round(middle, 1),
        "pss_mib_mean_last_third": round(last, 1),
        "growth_last_vs_middle_third_pct": round(100 * growth, 1),
        "target_growth_max_pct": 100 * FLAT_WITHIN,
        "target_met": abs(growth) <= FLAT_WITHIN,
        "samples": [{"s": s, "events": n, "pss_mib": m} for s, n, m in samples],
    }
    rows = [(f"{s:.0f} s", f"{n:,}", f"{m:.1f}") for s, n, m in samples[:: max(1, len(samples) // 12)]]
    print_table(f"nats memory ({args.rate:.0f} events/s for {args.seconds:.0f} s)", ("time", "events", "PSS MiB"), rows)
    print(
        f"  PSS mean, middle third {middle:.1f} MiB → last third {last:.1f} MiB ({100 * growth:+.1f} %); "
        f"flat within {FLAT_WITHIN:.0%}: {verdict(result['target_met'])}"
    )
    write_result("nats_memory", result)
    return result


if __name__ == "__main__":
    main()
