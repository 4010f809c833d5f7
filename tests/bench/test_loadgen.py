"""The open-loop generator keeps its schedule, counts the server's queueing in its latencies, and says so when it
cannot keep its schedule or the server fails: against a small HTTP/1.1 server on loopback (its own thread and event
loop) whose service time and answers each test chooses."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bench.loadgen import LAG_LIMIT_MS, run_sync
from hub.embedded import free_port


@contextmanager
def http_server(*, service_seconds: float = 0.0, one_at_a_time: bool = False, status: int = 200) -> Iterator[dict]:
    """Answers every GET with ``status`` and a small JSON body after ``service_seconds``; ``one_at_a_time`` serves
    the requests of all connections in turn, like a server with one worker and nothing to overlap."""
    loop = asyncio.new_event_loop()
    port = free_port()
    seen = {"requests": 0, "connections": 0, "url": f"http://127.0.0.1:{port}/x?limit=50"}
    ready = threading.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen["connections"] += 1
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                seen["requests"] += 1
                if one_at_a_time:
                    async with lock:
                        await asyncio.sleep(service_seconds)
                elif service_seconds:
                    await asyncio.sleep(service_seconds)
                body = b'{"hello":"world"}'
                writer.write(b"HTTP/1.1 %d X\r\ncontent-length: %d\r\n\r\n%s" % (status, len(body), body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        nonlocal lock
        lock = asyncio.Lock()
        server = await asyncio.start_server(serve, "127.0.0.1", port)
        ready.set()
        async with server:
            await stop.wait()

    lock: asyncio.Lock | None = None
    stop = asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield seen
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)


def test_at_a_rate_it_can_keep_every_request_is_sent_and_served_and_the_report_says_it_kept_its_schedule():
    with http_server(service_seconds=0.002) as server:
        report = run_sync(server["url"], rate=200, seconds=1.0, headers={"Authorization": "Bearer x"})
    assert report["asked"] == report["sent"] == report["served"] == server["requests"] == 200
    assert report["unsent"] == report["errors"] == 0
    assert report["p50_ms"] >= 2.0  # the service time is in it
    assert report["generator_cpu_s"] > 0 and report["generator_cpu_us_per_request"] > 0
    # on a machine shared with other work the generator may be descheduled; the flag must agree with its figures
    assert report["kept_schedule"] == (report["send_lag_p99_ms"] <= LAG_LIMIT_MS)


def test_latency_runs_from_the_due_time_so_a_server_that_falls_behind_cannot_hide_its_queue():
    """50 requests due in 0.5 s at a server that serves one at a time in 20 ms (50 a second at most, and no faster
    than the requests come): the queue grows, and the last answers come about half a second after they were due. A
    generator that measured from the moment it could send (after the previous answer) would report about 20 ms."""
    with http_server(service_seconds=0.02, one_at_a_time=True) as server:
        report = run_sync(server["url"], rate=100, seconds=0.5)
    assert report["asked"] == report["sent"] == report["served"] == 50
    assert report["p99_ms"] > 300
    assert report["p50_ms"] > 100
    # the generator did not wait for answers before sending: every request was in flight on its own connection
    assert report["connections_most_open"] >= 20 and server["connections"] >= 20


def test_a_rate_the_generator_cannot_keep_is_reported_as_unsent_or_late_never_as_a_clean_run():
    with http_server() as server:
        report = run_sync(server["url"], rate=100_000, seconds=0.05)
    assert report["asked"] == 5_000
    assert report["sent"] < report["asked"] or report["send_lag_p99_ms"] > LAG_LIMIT_MS
    assert report["sent"] + report["unsent"] <= report["asked"]
    assert report["kept_schedule"] is False


def test_a_request_past_the_limit_of_connections_waits_and_its_wait_is_in_its_latency():
    with http_server(service_seconds=0.05) as server:
        report = run_sync(server["url"], rate=100, seconds=0.3, connections=1, max_connections=1)
    assert report["served"] == 30 and report["connections_most_open"] == 1
    assert report["waited_for_connection"] > 0
    assert report["p99_ms"] > 800  # 30 × 50 ms in turn on one connection, from 0.3 s of due times
    assert report["kept_schedule"] is False  # they went on the wire long after they were due


def test_answers_that_are_not_2xx_are_errors_not_served():
    with http_server(status=503) as server:
        report = run_sync(server["url"], rate=50, seconds=0.2)
    assert report["sent"] == report["errors"] == 10 and report["served"] == 0
    assert report["statuses"] == {"503": 10}


def test_the_command_line_prints_one_json_report():
    with http_server() as server:
        argv = [sys.executable, "-m", "bench.loadgen", server["url"], "--rate", "50", "--seconds", "0.2"]
        argv += ["--header", "Authorization: Bearer x"]
        out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout
    report = json.loads(out)
    assert report["asked"] == report["served"] == 10
