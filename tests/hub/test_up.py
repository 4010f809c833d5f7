"""`hub up` for real: embedded Postgres and NATS, every component, a demo login; each component stops within 5 s of
SIGTERM while requests come in; and `hub up` killed in the middle of its own stop leaves nothing running."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from hub.components import PIPELINE_RUNNER, STATS_FACTORY, module_available
from hub.embedded import free_port
from hub.seed import DEMO_PASSWORD
from tests.hub.processes import descendants, process_gone, wait_until

pytestmark = pytest.mark.e2e

START_TIMEOUT_SECONDS = 240
STOP_LIMIT_SECONDS = 5.0


def _missing_components() -> list[str]:
    return [name for name in (PIPELINE_RUNNER, STATS_FACTORY.split(":")[0]) if not module_available(name)]


@dataclass
class RunningHub:
    process: subprocess.Popen
    var_dir: Path
    output: Path
    runtime: dict

    @property
    def gateway(self) -> str:
        return self.runtime["urls"]["gateway"]

    def login(self, email: str) -> dict[str, str]:
        response = httpx.post(
            f"{self.gateway}/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=10
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def hub_up() -> Iterator[RunningHub]:
    if missing := _missing_components():
        pytest.skip(f"not in this checkout yet: {missing}")
    # a folder of its own: pytest prunes old basetemp folders that a parallel session may still be using
    tmp_path = Path(tempfile.mkdtemp(prefix="hub-up-"))
    var_dir = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env |= {
        "HUB_VAR_DIR": str(var_dir),
        "HUB_GATEWAY_PORT": str(free_port()),
        "HUB_STATS_PORT": str(free_port()),
        "HUB_DASHBOARDS_PORT": str(free_port()),
        "HUB_READY_TIMEOUT_SECONDS": str(START_TIMEOUT_SECONDS),
    }
    output = tmp_path / "hub-up.out"
    with open(output, "wb") as out:
        hub = subprocess.Popen([sys.executable, "-m", "hub", "up"], env=env, stdout=out, stderr=subprocess.STDOUT)
    runtime_file = var_dir / "runtime.json"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS + 30
        while not runtime_file.exists():
            assert hub.poll() is None, f"hub up exited with {hub.returncode}:\n{output.read_text()}"
            assert time.monotonic() < deadline, f"hub up was not ready in time:\n{output.read_text()}"
            time.sleep(0.2)
        yield RunningHub(hub, var_dir, output, json.loads(runtime_file.read_text()))
    finally:
        if hub.poll() is None:
            hub.send_signal(signal.SIGINT)
            try:
                hub.wait(60)
            except subprocess.TimeoutExpired:
                hub.kill()
                raise
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_hub_up_serves_the_demo_club(hub_up):
    assert httpx.get(f"{hub_up.gateway}/readyz", timeout=10).status_code == 200
    me = httpx.get(f"{hub_up.gateway}/api/v1/users/me", headers=hub_up.login("coach@northside.example.org"))
    assert {m["role"] for m in me.json()["memberships"]} == {"coach"}
    printed = hub_up.output.read_text()
    assert "Hockey Hub is running" in printed and "coach@northside.example.org" in printed


def test_a_bounded_soak_has_no_errors_and_no_warehouse_lock_errors(hub_up):
    """``python -m bench soak`` in small (18 s) on this stack: players writing, coaches reading, an analyst on the
    serving snapshot, a coach's dashboards page in Chromium (when installed) and the health probes, while the
    pipeline builds; nothing fails and every component is measured. Memory flatness needs minutes (the figures in
    bench/results/soak.json come from ten)."""
    from bench import soak
    from bench.stack import Stack
    from tests.dashboards.browser import CHROMIUM

    args = soak._args(["--minutes", "0.3", "--page-seconds", "8", "--sample-seconds", "2"])
    figures = soak.soak(Stack(hub_up.process, hub_up.var_dir, hub_up.runtime, 0.0), args)
    failures = (figures["error_examples"], figures["log_first_error"], figures["components_restarted"])
    assert figures["targets"]["zero_errors"]["target_met"], failures
    assert figures["targets"]["zero_warehouse_lock_errors"]["target_met"], figures["log_lock_errors_by_component"]
    done = figures["operations"]
    assert min(done[op]["ok"] for op in ("api write", "api read", "stats read", "analyst query", "analyst hub sql")) > 0
    assert done["page load"]["ok"] >= 1 or CHROMIUM is None
    measured = set(figures["memory"]["by_process"])
    assert {"gateway", "worker", "pipeline", "stats", "dashboards", "nats", "postgres", "hub up"} <= measured


class _Load:
    """A player logging sessions and reading them back, without pause, while components are stopped under it."""

    def __init__(self, hub: RunningHub):
        self.gateway = hub.gateway
        self.headers = hub.login("elias.nilsson@northside.example.org")
        self.stop = threading.Event()
        self.written = 0
        self.last_refusal = ""
        self.thread = threading.Thread(target=self._run, name="load", daemon=True)

    def _run(self) -> None:
        rng = random.Random(18)
        with httpx.Client(base_url=self.gateway, headers=self.headers, timeout=5) as client:
            while not self.stop.is_set():
                day = date.today() - timedelta(days=rng.randint(1, 300))
                body = {"session_date": day.isoformat(), "rpe": rng.randint(1, 10), "duration_minutes": 45}
                try:
                    response = client.post("/api/v1/training/rpe-logs", json={**body, "allow_duplicate": True})
                    if response.is_success:
                        self.written += 1
                    else:
                        self.last_refusal = f"{response.status_code} {response.text[:300]}"
                    client.get("/api/v1/training/rpe-logs", params={"limit": 5})
                except httpx.HTTPError:  # the gateway is one of the components being stopped
                    self.stop.wait(0.05)

    def __enter__(self) -> _Load:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)


def _stop_seconds(pid: int) -> float:
    started = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    try:
        wait_until(lambda: process_gone(pid), timeout=3 * STOP_LIMIT_SECONDS)
    except AssertionError:
        return float("inf")  # still running: reported with the others below
    return time.monotonic() - started


def test_every_component_stops_within_5_seconds_of_sigterm_under_load(hub_up):
    components = hub_up.runtime["components"]
    # the pipeline first, while the worker feeds it events from the writes; the gateway's stop breaks the load
    order = [name for name in ("pipeline", "worker", "stats", "dashboards", "gateway") if components.get(name)]
    assert {"pipeline", "worker", "gateway"} <= set(order)
    with _Load(hub_up) as load:
        wait_until(lambda: load.written >= 20 or bool(load.last_refusal), timeout=30)
        assert not load.last_refusal
        took = {name: _stop_seconds(components[name]["pid"]) for name in order}
    slow = {name: round(seconds, 1) for name, seconds in took.items() if seconds > STOP_LIMIT_SECONDS}
    assert not slow, f"stopped later than {STOP_LIMIT_SECONDS:g}s after SIGTERM: {slow} (all: {took})"


def test_hub_up_killed_during_its_own_stop_leaves_nothing_running(hub_up):
    """What a process manager does when a stop takes too long: SIGINT, then SIGKILL two seconds later.

    A frozen worker (SIGSTOP: it cannot act on SIGTERM) makes the stop take long, so the SIGKILL lands in it."""

    def restarted() -> dict | None:  # the components stopped above are running again
        runtime = json.loads((hub_up.var_dir / "runtime.json").read_text())
        pids = [component["pid"] for component in runtime["components"].values()]
        return runtime if all(pid and not process_gone(pid) for pid in pids) else None

    wait_until(lambda: restarted() is not None, timeout=60)
    runtime = restarted()
    postgres = runtime["embedded"]["postgres_pid"]
    assert postgres
    os.kill(runtime["components"]["worker"]["pid"], signal.SIGSTOP)
    run = set(descendants(hub_up.process.pid)) | set(descendants(postgres))
    assert len(run) >= 8  # hub up, its guardian, NATS, five components, Postgres and its backends
    hub_up.process.send_signal(signal.SIGINT)
    time.sleep(2)  # the scenario's two seconds, not a wait for a condition
    hub_up.process.kill()
    hub_up.process.wait()
    assert "Stopped." not in hub_up.output.read_text(), "hub up finished its stop before the SIGKILL"
    try:
        wait_until(lambda: all(process_gone(pid) for pid in run), timeout=20)
    except AssertionError:
        left = {pid: Path(f"/proc/{pid}/cmdline").read_bytes()[:120] for pid in run if not process_gone(pid)}
        raise AssertionError(f"still running 20s after hub up was killed: {left}") from None
    assert not (hub_up.var_dir / "runtime.json").exists()
