"""`hub up` for real: embedded Postgres and NATS, every component, a demo login, Ctrl-C, nothing left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from hub.components import PIPELINE_RUNNER, STATS_FACTORY, module_available
from hub.embedded import free_port
from hub.seed import DEMO_PASSWORD
from tests.hub.processes import process_gone, wait_until

pytestmark = pytest.mark.e2e

START_TIMEOUT_SECONDS = 240


def _missing_components() -> list[str]:
    return [name for name in (PIPELINE_RUNNER, STATS_FACTORY.split(":")[0]) if not module_available(name)]


@pytest.mark.skipif(bool(_missing_components()), reason=f"not in this checkout yet: {_missing_components()}")
def test_hub_up_serves_the_demo_club_and_stops_cleanly_on_ctrl_c(tmp_path):
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
        runtime = json.loads(runtime_file.read_text())
        gateway = runtime["urls"]["gateway"]
        assert httpx.get(f"{gateway}/readyz", timeout=10).status_code == 200

        login = httpx.post(
            f"{gateway}/api/v1/auth/login",
            json={"email": "coach@northside.example.org", "password": DEMO_PASSWORD},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        me = httpx.get(
            f"{gateway}/api/v1/users/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
        )
        assert {m["role"] for m in me.json()["memberships"]} == {"coach"}
        printed = output.read_text()
        assert "Hockey Hub is running" in printed and "coach@northside.example.org" in printed
    finally:
        hub.send_signal(signal.SIGINT)
        try:
            hub.wait(60)
        except subprocess.TimeoutExpired:
            hub.kill()
            raise

    assert hub.returncode == 0, output.read_text()
    pids = [c["pid"] for c in runtime["components"].values()] + list(runtime["embedded"].values())
    assert len([pid for pid in pids if pid]) >= 5
    wait_until(lambda: all(process_gone(pid) for pid in pids if pid))
    assert not runtime_file.exists()
