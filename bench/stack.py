"""The whole ``make up`` stack for a benchmark: ``hub up`` in its own temporary var dir, on free ports.

``hub up`` is started exactly as ``make up`` starts it (embedded Postgres and NATS, gateway, relay, pipeline runner,
stats API, dashboards, demo seed) and stopped with Ctrl-C (SIGINT) like a person would. Memory is read from /proc:
RSS summed over every process, and PSS, which splits shared pages between the processes that share them (so
the sum is not inflated by the shared Python libraries).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import TELEMETRY_OFF, wait_until
from hub.embedded import free_port

DEMO_PASSWORD = "northside-demo"


@dataclass
class Stack:
    process: subprocess.Popen
    var_dir: Path
    runtime: dict
    seconds_to_ready: float

    @property
    def gateway(self) -> str:
        return self.runtime["urls"]["gateway"]

    @property
    def stats(self) -> str:
        return self.runtime["urls"]["stats"]

    @property
    def nats_url(self) -> str:
        return self.runtime["nats_url"]

    def login(self, email: str) -> dict[str, str]:
        response = httpx.post(
            f"{self.gateway}/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=30
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def pids(self) -> list[int]:
        """``hub up``, every process under it, and the embedded Postgres (detached) with its backends."""
        roots = [self.process.pid]
        postgres = (self.runtime.get("embedded") or {}).get("postgres_pid")
        if postgres:
            roots.append(postgres)
        return sorted({pid for root in roots for pid in _tree(root)})

    def memory_mib(self) -> dict[str, float]:
        rss = pss = 0
        for pid in self.pids():
            rss += _proc_kib(pid, "status", "VmRSS:")
            pss += _proc_kib(pid, "smaps_rollup", "Pss:")
        return {"rss_mib": rss / 1024, "pss_mib": pss / 1024, "processes": len(self.pids())}


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    return children


def _tree(root: int) -> list[int]:
    children, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _proc_kib(pid: int, name: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class _KeptOpen:
    exit: contextlib.ExitStack
    stack: Stack | None = None  # once a benchmark has started it


_kept: _KeptOpen | None = None


@contextlib.contextmanager
def stack_kept_open() -> Iterator[None]:
    """Within this, the first ``running_stack()`` starts the stack and every later one gets the same stack, stopped
    when this exits: ``make bench`` starts the stack once for every benchmark that needs one (two to four minutes
    each time on a loaded machine). The kept stack runs with the first caller's ``extra_env``."""
    global _kept
    _kept = _KeptOpen(contextlib.ExitStack())
    try:
        with _kept.exit:
            yield
    finally:
        _kept = None


@contextlib.contextmanager
def running_stack(*, ready_timeout: float = 300, extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """The whole stack, started by ``hub up``; stopped on exit unless kept open (``stack_kept_open``)."""
    if _kept is None:
        with _started_stack(ready_timeout, extra_env) as stack:
            yield stack
        return
    if _kept.stack is None:
        _kept.stack = _kept.exit.enter_context(_started_stack(ready_timeout, extra_env))
    yield _kept.stack


@contextlib.contextmanager
def _started_stack(ready_timeout: float, extra_env: dict[str, str] | None) -> Iterator[Stack]:
    var_dir = Path(tempfile.mkdtemp(prefix="hub-bench-stack-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HUB_")},
        **TELEMETRY_OFF,
        "HUB_VAR_DIR": str(var_dir),
        "HUB_GATEWAY_PORT": str(free_port()),
        "HUB_STATS_PORT": str(free_port()),
        "HUB_DASHBOARDS_PORT": str(free_port()),
        "HUB_READY_TIMEOUT_SECONDS": str(ready_timeout),
        **(extra_env or {}),
    }
    started = time.monotonic()
    log = open(var_dir / "hub-up.out", "wb")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen([sys.executable, "-m", "hub", "up"], env=env, stdout=log, stderr=subprocess.STDOUT)
    runtime_file = var_dir / "runtime.json"
    try:
        try:
            wait_until(runtime_file.exists, ready_timeout + 30, "hub up to report every component ready", process)
        except RuntimeError as exc:
            tail = (var_dir / "hub-up.out").read_text(errors="replace")[-1500:]
            raise RuntimeError(f"{exc}\n{tail}") from exc
        seconds = time.monotonic() - started
        yield Stack(process, var_dir, json.loads(runtime_file.read_text()), seconds)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)
