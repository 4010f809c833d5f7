"""CPU per API request, in process: the list read and the write of ``python -m bench api``, each request sent straight
to the gateway's ASGI app (no HTTP server, no client), timed on the process's CPU clock.

Throughput on a shared machine swings with what else runs; CPU per request does not, and it is what the throughput
of a loaded server follows. One league is seeded, then each source tree given (``--tree``, default this one) is
measured in a process of its own, in turn, ``--rounds`` times, against the same database: old and new code
alternate under the same conditions.

    python -m bench.api_cpu [--tree /path/to/old --tree .] [--rounds 3] [--requests 400] [--profile out.pstats]
        [--sample]  # a sampling profile (bench/sampling.py) of the reads and the writes, printed per measurement
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import subprocess
import sys
import time
from pathlib import Path

READ_PATH = "/api/v1/training/rpe-logs"


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.api_cpu")
    parser.add_argument("--tree", action="append", help="a source tree to measure (repeat to alternate)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400, help="timed requests of each kind per measurement")
    parser.add_argument("--players", type=int, default=25)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--profile", help="write a cProfile of each measurement's reads to files with this prefix")
    parser.add_argument("--sample", action="store_true", help="print a sampling profile of reads and writes")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # JSON: headers of the coach and the players
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    if args.child:
        return _child(args)
    from bench.api import _seed
    from bench.common import infra, uvicorn_server

    trees = [str(Path(tree).resolve()) for tree in (args.tree or [os.getcwd()])]
    with infra() as servers:
        with uvicorn_server("operational.gateway:create_app", servers.env) as gateway:
            _, coach, players, _ = _seed(args, servers, gateway)
        people = json.dumps({"coach": coach, "players": players})
        runs: dict[str, list[dict]] = {tree: [] for tree in trees}
        for _ in range(args.rounds):
            for tree in trees:
                # this file run as a script: the tree measured need not have it
                argv = [sys.executable, __file__, "--child", people, "--requests", str(args.requests)]
                if args.profile:
                    argv += ["--profile", f"{args.profile}.{len(runs[tree])}.{Path(tree).name}"]
                if args.sample:
                    argv += ["--sample"]
                env = {**servers.env, "PYTHONPATH": tree}
                done = subprocess.run(argv, env=env, cwd=tree, capture_output=True, text=True, check=True)
                if args.sample:
                    print(done.stderr, file=sys.stderr)
                runs[tree].append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(tree, runs[tree][-1], "load average", os.getloadavg(), flush=True)
    return runs


def _child(args) -> dict:
    people = json.loads(args.child)
    result = asyncio.run(_measure(people["coach"], people["players"], args.requests, args.profile, args.sample))
    print(json.dumps(result))
    return result


async def _measure(coach: dict, players: list[dict], requests: int, profile: str | None, sample: bool) -> dict:
    from bench.api import WRITE_DAYS, _write_posts
    from bench.sampling import Sampler
    from operational.gateway import create_app

    app = create_app()
    posts = _write_posts(players, WRITE_DAYS)
    async with app.router.lifespan_context(app):
        await _send(app, "GET", READ_PATH, "limit=50", coach, b"", expect=200)  # connections, caches, prepared SQL
        for _ in range(49):
            await _send(app, "GET", READ_PATH, "limit=50", coach, b"", expect=200)
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waiting
        reads, writes = (Sampler(), Sampler()) if sample else (contextlib.nullcontext(), contextlib.nullcontext())
        started = time.process_time()
        if profiler:
            profiler.enable()
        with reads:
            for _ in range(requests):
                await _send(app, "GET", READ_PATH, "limit=50", coach, b"", expect=200)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        read_ms = (time.process_time() - started) * 1000 / requests
        for headers, body in posts[:50]:
            await _send(app, "POST", READ_PATH, "", headers, body.encode(), expect=201)
        started = time.process_time()
        with writes:
            for n in range(requests):
                headers, body = posts[(50 + n) % len(posts)]
                await _send(app, "POST", READ_PATH, "", headers, body.encode(), expect=201)
        write_ms = (time.process_time() - started) * 1000 / requests
    if sample:
        for kind, sampler in (("reads", reads), ("writes", writes)):
            print(f"=== {kind}", file=sys.stderr)
            sampler.report()
    return {"read_cpu_ms": round(read_ms, 3), "write_cpu_ms": round(write_ms, 3)}


async def _send(app, method: str, path: str, query: str, headers: dict, body: bytes, *, expect: int) -> None:
    raw = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    if body:
        raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
        "state": {},
    }
    status = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    if status != [expect]:
        raise RuntimeError(f"{method} {path}: {status}, expected {expect}")


if __name__ == "__main__":
    if sys.path[0] == str(Path(__file__).resolve().parent):  # run as a script: bench/ is no top-level package dir
        sys.path.pop(0)
    main()
