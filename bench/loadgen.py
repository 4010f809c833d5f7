"""Open-loop load at a fixed rate, in its own process: ``python -m bench.loadgen URL --rate 100 --seconds 10``.

Request ``n`` is due at ``start + n / rate`` whether or not earlier ones have finished, and its latency is measured
from that due time to the last byte of the answer, so a slow server cannot hide its queueing behind a generator that
waits for it (no coordinated omission), and neither can a generator that runs late: its lateness is in the figure.

The generator is kept lean so that it can keep its schedule on the same two cores as the server it measures: the
request's bytes are built once, each request goes over a raw asyncio stream on a keep-alive connection that carries
no other request while it is busy (a new connection is opened whenever none is idle), the answer is read by its
``Content-Length`` (or its chunks), and the event loop is uvloop's when it is installed.

It reports what it was asked to do and what it did, so a generator that falls behind is never silent: ``asked``
requests, ``sent`` (``unsent``: not on their way half a second after the window), ``served`` (2xx answers), how
late each was put on the wire (``send_lag_*``: due time to the socket write, connection set-up included), its own
CPU, and ``kept_schedule``: everything sent, 99 % of it within ``LAG_LIMIT_MS`` of its due time. Prints one JSON
line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.common import percentile

# The generator kept its schedule if 99 % of the requests went out at most this late: a fifth of the API's p99
# target, so lateness of its own cannot decide that target.
LAG_LIMIT_MS = 5.0
# uvicorn closes a keep-alive connection after 5 s idle; one idle longer than this is closed here instead of being
# raced against the server's close.
IDLE_LIMIT_S = 4.0
# A request not on its way this long after the window's end is counted as unsent (a generator that far behind did
# not load the server as asked); lateness short of it is in the send lag and the latencies.
WINDOW_GRACE_S = 0.5


def request_bytes(url: str, headers: dict[str, str] | None = None) -> tuple[str, int, bytes]:
    """(host, port, the whole GET request) for ``url``: built once, written as is for every request."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise ValueError(f"only plain http is supported: {url}")
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Accept: */*"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return host, port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 the way this reader understands it."""


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Reads one answer whole; (status, whether the server keeps the connection open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].split(b"\r\n")
    try:
        status = int(status_line.split(b" ", 2)[1])
    except (IndexError, ValueError) as exc:
        raise ProtocolError(f"bad status line {status_line[:80]!r}") from exc
    length, chunked, keep_alive = None, False, True
    for line in header_lines:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep_alive = value != b"close"
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF (the last chunk: just the CRLF)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    elif status not in (204, 304) and not 100 <= status < 200:
        await reader.read()  # no length: the body runs to the connection's end
        keep_alive = False
    return status, keep_alive


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    used_at: float = field(default_factory=time.monotonic)
    requests: int = 0

    def close(self) -> None:
        self.writer.close()


class Pool:
    """Keep-alive connections, each carrying one request at a time; a new one is opened when none is idle, up to
    ``limit`` (beyond it a request waits, and its wait is in its latency). The one idle longest is taken first, so
    the requests go round all the connections opened at the start, and so round the server's worker processes that
    accepted them, as wrk's do (taking the latest would keep a light load on one connection, so one worker)."""

    def __init__(self, host: str, port: int, limit: int):
        self.host, self.port, self.limit = host, port, limit
        self.idle: deque[_Connection] = deque()
        self.changed = asyncio.Event()
        self.open_now = self.opened = self.most_open = self.waited = 0

    async def open(self) -> _Connection:
        self.open_now += 1
        self.opened += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self.open_now -= 1
            self.changed.set()
            raise
        return _Connection(reader, writer)

    async def acquire(self) -> _Connection:
        waited = False
        while True:
            now = time.monotonic()
            while self.idle:
                conn = self.idle.popleft()
                if now - conn.used_at < IDLE_LIMIT_S:
                    return conn
                self.discard(conn)
            if self.open_now < self.limit:
                return await self.open()
            if not waited:
                self.waited += 1
                waited = True
            self.changed.clear()
            await self.changed.wait()

    def release(self, conn: _Connection) -> None:
        conn.used_at = time.monotonic()
        self.idle.append(conn)
        self.changed.set()

    def discard(self, conn: _Connection) -> None:
        conn.close()
        self.open_now -= 1
        self.changed.set()

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


@dataclass
class _Tally:
    sent: int = 0
    served: int = 0
    errors: int = 0
    retried: int = 0
    lags: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)
    last_done: float = 0.0


async def _one(pool: Pool, request: bytes, due: float, timeout: float, tally: _Tally) -> None:
    status = 0
    try:
        async with asyncio.timeout(max(0.0, due + timeout - time.monotonic())):
            for attempt in range(2):
                conn = await pool.acquire()
                reused = conn.requests > 0
                try:
                    conn.writer.write(request)
                    if attempt == 0:
                        tally.sent += 1
                        tally.lags.append(time.monotonic() - due)
                    status, keep_alive = await read_response(conn.reader)
                except (ConnectionError, asyncio.IncompleteReadError) as exc:
                    pool.discard(conn)
                    # the server closed a kept-alive connection as the request went out: once more on a new one,
                    # as every HTTP client does for an idempotent GET
                    if reused and attempt == 0:
                        tally.retried += 1
                        continue
                    raise exc
                except BaseException:
                    pool.discard(conn)
                    raise
                conn.requests += 1
                if keep_alive:
                    pool.release(conn)
                else:
                    pool.discard(conn)
                break
    except Exception as exc:  # a failed request is counted, with its latency up to the failure
        tally.error_kinds[type(exc).__name__] = tally.error_kinds.get(type(exc).__name__, 0) + 1
    done = time.monotonic()
    tally.last_done = max(tally.last_done, done)
    tally.latencies.append(done - due)
    tally.statuses[status] = tally.statuses.get(status, 0) + 1
    if 200 <= status < 300:
        tally.served += 1
    else:
        tally.errors += 1


async def run(
    url: str,
    rate: float,
    seconds: float,
    headers: dict[str, str] | None = None,
    *,
    connections: int = 16,
    max_connections: int = 1024,
    timeout: float = 10.0,
) -> dict:
    """``rate`` × ``seconds`` GETs of ``url``, due at a fixed interval; ``connections`` opened before the first."""
    host, port, request = request_bytes(url, headers)
    asked = max(1, int(rate * seconds))
    pool = Pool(host, port, max_connections)
    warm = [await pool.open() for _ in range(min(connections, max_connections))]
    for conn in warm:
        pool.release(conn)
    tally, tasks = _Tally(), []
    cpu_before, wall_before = _cpu_seconds(), time.monotonic()
    start = time.monotonic() + 0.01
    window_end = start + seconds + WINDOW_GRACE_S
    dispatched = 0
    for n in range(asked):
        due = start + n / rate
        while (delay := due - time.monotonic()) > 0:  # a timer may fire early by its clock's resolution
            await asyncio.sleep(delay)
        if time.monotonic() > window_end:
            break
        tasks.append(asyncio.create_task(_one(pool, request, due, timeout, tally)))
        dispatched += 1
    await asyncio.gather(*tasks)
    cpu, wall = _cpu_seconds() - cpu_before, time.monotonic() - wall_before
    pool.close()
    return _report(rate, seconds, asked, dispatched, tally, pool, start, cpu, wall)


def _report(rate, seconds, asked, dispatched, tally: _Tally, pool: Pool, start, cpu, wall) -> dict:
    lag_p99 = percentile(tally.lags, 99) * 1000
    served_over = max(seconds, tally.last_done - start)
    return {
        "asked_rps": round(rate, 1),
        "seconds": seconds,
        "asked": asked,
        "sent": tally.sent,
        "unsent": asked - dispatched,
        "served": tally.served,
        "errors": tally.errors,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "error_kinds": tally.error_kinds,
        "sent_rps": round(tally.sent / seconds, 1),
        # answers over the time from the first due time to the last answer: below the asked rate when the server
        # (or the generator) fell behind and the answers trailed on after the window
        "served_rps": round(tally.served / served_over, 1),
        "p50_ms": percentile(tally.latencies, 50) * 1000,
        "p95_ms": percentile(tally.latencies, 95) * 1000,
        "p99_ms": percentile(tally.latencies, 99) * 1000,
        "max_ms": max(tally.latencies, default=math.nan) * 1000,
        "send_lag_p50_ms": percentile(tally.lags, 50) * 1000,
        "send_lag_p99_ms": lag_p99,
        "send_lag_max_ms": max(tally.lags, default=math.nan) * 1000,
        "kept_schedule": asked == dispatched == tally.sent and lag_p99 <= LAG_LIMIT_MS,
        "connections_opened": pool.opened,
        "connections_most_open": pool.most_open,
        "waited_for_connection": pool.waited,
        "retried_on_closed_connection": tally.retried,
        "generator_cpu_s": round(cpu, 3),
        "generator_cpu_share": round(cpu / wall, 3) if wall else math.nan,
        "generator_cpu_us_per_request": round(cpu / max(1, tally.sent) * 1e6, 1),
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_sync(url: str, rate: float, seconds: float, headers: dict[str, str] | None = None, **options) -> dict:
    """``run`` on a fresh event loop, uvloop's when it is installed (less CPU per request than asyncio's own)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(run(url, rate, seconds, headers, **options))
    return uvloop.run(run(url, rate, seconds, headers, **options))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen", description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, required=True, help="requests per second, due at a fixed interval")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections opened before the start")
    parser.add_argument("--max-connections", type=int, default=1024, help="beyond this, a request waits for one")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds from due time to a request's failure")
    args = parser.parse_args(argv)
    headers = dict(h.split(": ", 1) for h in args.header)
    options = {"connections": args.connections, "max_connections": args.max_connections, "timeout": args.timeout}
    print(json.dumps(run_sync(args.url, args.rate, args.seconds, headers, **options)))


if __name__ == "__main__":
    main()
