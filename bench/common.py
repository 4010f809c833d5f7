"""What the benchmarks share: throwaway Postgres and NATS, servers in their own processes, wrk, tables, sizes.

Every server a benchmark starts listens on loopback on a free port and lives in a temporary directory; nothing
touches the Postgres or NATS a developer may run on the standard ports.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.embedded import ensure_database, free_port, start_nats, start_postgres
from operational.kit.auth import generate_key_pair

TELEMETRY_OFF = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}


class BenchSettings(BaseSettings):
    """Sizes and durations; ``HUB_BENCH_QUICK=1`` shrinks everything to a smoke run."""

    model_config = SettingsConfigDict(env_prefix="HUB_BENCH_", extra="ignore")

    quick: bool = False


def quick() -> bool:
    return BenchSettings().quick


@dataclass
class Infra:
    database_url: str
    nats_url: str
    key_dir: Path
    work_dir: Path

    @property
    def env(self) -> dict[str, str]:
        """Environment for a hub process that should use these servers (and nothing on the standard ports)."""
        return {
            **os.environ,
            **TELEMETRY_OFF,
            "HUB_DATABASE_URL": self.database_url,
            "HUB_NATS_URL": self.nats_url,
            "HUB_VAR_DIR": str(self.work_dir / "var"),
            "HUB_JWT_PRIVATE_KEY_PATH": str(self.key_dir / "jwt_private.pem"),
            "HUB_JWT_PUBLIC_KEY_PATH": str(self.key_dir / "jwt_public.pem"),
            "HUB_LOG_JSON": "false",
            "PYTHONUNBUFFERED": "1",
        }


@contextlib.contextmanager
def infra(*, postgres: bool = True) -> Iterator[Infra]:
    """A migrated Postgres, a JetStream NATS and a signing key pair, in a temporary directory."""
    from operational.kit.migrations import upgrade_all

    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    nats = start_nats(work / "nats")
    pg = None
    try:
        database_url = ""
        if postgres:
            pg = start_postgres(work / "pg", delete_on_stop=True)
            database_url = ensure_database(pg.url, "hub_bench")
            upgrade_all(database_url)
        generate_key_pair(work / "keys")
        yield Infra(database_url, nats.url, work / "keys", work)
    finally:
        nats.stop()
        if pg is not None:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def uvicorn_server(
    factory: str, env: dict[str, str], *, ready_path: str = "/healthz", workers: int = 1, ready_timeout: float = 180
) -> Iterator[str]:
    """``factory`` served by uvicorn in its own process with ``workers`` worker processes, no access log (as
    ``hub serve`` runs it); ``ready_timeout`` is generous: on a busy machine importing every service takes a while."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", factory, "--factory", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers), "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "2"]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url + ready_path), ready_timeout, f"{factory} to answer", process)
        yield url
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if ``process`` is still running ``timeout`` seconds later: a benchmark's result never
    depends on how a helper process takes its stop (that is measured by tests/hub/test_up.py)."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def wait_until(condition, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            err = process.stderr.read().decode()[-2000:] if process.stderr else ""
            raise RuntimeError(f"gave up waiting for {what}: the process exited ({process.returncode}) {err}")
        time.sleep(0.1)
    raise RuntimeError(f"gave up waiting for {what} after {timeout:.0f} s")


_WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "errors": %d, "seconds": %f, "p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    posts: list[tuple[dict[str, str], str]] | None = None,
) -> dict:
    """Closed-loop load from wrk (its own process, one thread): requests/s and latency percentiles. With ``posts``,
    each request is the next of these (headers, body) POSTs to ``url``'s path, in turn (``headers`` added to each)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    script = "wrk.method = 'POST'\n" if body is not None else ""
    if body is not None:
        script += f"wrk.body = {json.dumps(body)}\n"
    for name, value in (headers or {}).items():
        script += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    if posts:
        script += _rotating_posts(url, posts, headers or {})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + _WRK_REPORT)
    try:
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, url]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(f.name)
    report = json.loads(out.strip().splitlines()[-1])
    report["rps"] = report["requests"] / report["seconds"]
    for p in ("p50", "p95", "p99"):
        report[f"{p}_ms"] = report.pop(f"{p}_us") / 1000
    return report


def _rotating_posts(url: str, posts: list[tuple[dict[str, str], str]], common: dict[str, str]) -> str:
    path = "/" + url.split("://", 1)[-1].partition("/")[2]
    lines = ["local hub_posts = {}"]
    for n, (own, body) in enumerate(posts, start=1):
        table = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in {**common, **own}.items())
        lines.append(f"hub_posts[{n}] = wrk.format('POST', {json.dumps(path)}, {{{table}}}, {json.dumps(body)})")
    lines += ["local hub_next = 0", "request = function()", "  hub_next = hub_next % #hub_posts + 1"]
    lines += ["  return hub_posts[hub_next]", "end", ""]
    return "\n".join(lines)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def print_table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    cells = [tuple(str(c) for c in header)] + [tuple(_fmt(c) for c in row) for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(title)
    for n, row in enumerate(cells):
        print(
            "  "
            + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def timed_get(client: httpx.Client, url: str, headers: dict) -> float:
    """Milliseconds a GET of ``url`` took, answer read; raises ``httpx.HTTPStatusError`` on a 4xx or 5xx."""
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed * 1000
