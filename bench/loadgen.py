"""Open-loop load at a fixed rate, in its own process: ``python -m bench.loadgen URL --rate 100 --seconds 10``.

Requests start on a fixed schedule whether or not earlier ones finished, and latency is measured from the scheduled
start, so a slow server cannot hide its queueing (no coordinated omission). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx

from bench.common import percentile


async def run(url: str, rate: float, seconds: float, headers: dict[str, str]) -> dict:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=10) as client:

        async def one(scheduled: float) -> None:
            nonlocal errors
            try:
                response = await client.get(url)
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - scheduled)

        started = time.perf_counter()
        tasks = []
        total = int(rate * seconds)
        for n in range(total):
            scheduled = started + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(scheduled)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return {
        "requests": total,
        "errors": errors,
        "achieved_rps": total / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(json.dumps(asyncio.run(run(args.url, args.rate, args.seconds, headers))))


if __name__ == "__main__":
    main()
