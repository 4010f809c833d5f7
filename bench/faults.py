"""Faults: kill -9 at random moments while players write, then count every committed write in the warehouse.

On the stack ``make up`` runs (``hub up`` in a temporary var dir), ``--clients`` players log session RPE without
pause, each POST with an ``Idempotency-Key`` and retried with the same key until the API gives a definite answer,
so the set of committed logs is known exactly. Meanwhile a controller kills, with SIGKILL and at random moments, the
worker (outbox relay and consumers), the pipeline runner, the gateway (API) or the NATS server, ``--trials`` times,
waiting each time until ``hub up`` has restarted it. Afterwards, once the pipeline has caught up, every committed log
must be in the warehouse's ``raw.events`` exactly once.

    python -m bench faults [--trials 50] [--clients 4]

Target: 0 lost, 0 duplicated. Results in bench/results/faults.json. Not part of ``python -m bench`` (it takes
minutes). A NATS server killed with SIGKILL keeps what it acknowledged (the page cache survives the process); an
operating-system crash could lose it, and ``hub events replay --since`` is the remedy then, not measured here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.common import print_table, quick, verdict
from bench.results import write_result
from bench.stack import Stack, running_stack

TARGETS = ("worker", "pipeline", "gateway", "nats")
PLAYERS = (
    "elias.nilsson@northside.example.org",
    "liam.johansson@northside.example.org",
    "noah.karlsson@northside.example.org",
    "alva.persson@northside.example.org",
)
CATCH_UP_SECONDS = 300.0
RESTART_SECONDS = 120.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench faults")
    parser.add_argument("--trials", type=int, default=6 if quick() else 50, help="kill -9 this many times")
    parser.add_argument("--clients", type=int, default=2 if quick() else 4, help="players writing at once")
    parser.add_argument("--seed", type=int, default=18, help="the same seed picks the same targets and pauses")
    return parser.parse_args(argv)


class Writer:
    """One player logging sessions until stopped; ``committed`` holds the id of every log the API created."""

    def __init__(self, gateway: str, email: str, rng: random.Random):
        self.gateway, self.email, self.rng = gateway, email, rng
        self.committed: list[str] = []
        self.retries = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"writer {email}", daemon=True)

    def _token(self, client: httpx.Client) -> dict[str, str]:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                response = client.post("/api/v1/auth/login", json={"email": self.email, "password": "northside-demo"})
                if response.status_code == 200:
                    return {"Authorization": f"Bearer {response.json()['access_token']}"}
            self.stop.wait(0.2)  # the gateway is restarting

    def _run(self) -> None:
        with httpx.Client(base_url=self.gateway, timeout=10) as client:
            headers = self._token(client)
            while not self.stop.is_set():
                day = date.today() - timedelta(days=self.rng.randint(1, 300))
                body = {"session_date": day.isoformat(), "rpe": self.rng.randint(1, 10), "duration_minutes": 30,
                        "allow_duplicate": True}  # fmt: skip
                key = str(uuid.uuid4())
                while True:  # the same key until a definite answer: a retry never creates a second log
                    try:
                        response = client.post("/api/v1/training/rpe-logs", json=body,
                                               headers={**headers, "Idempotency-Key": key})  # fmt: skip
                    except httpx.HTTPError:
                        self.retries += 1
                        time.sleep(0.1)  # the gateway is down; it is being restarted
                        continue
                    if response.status_code == 401:
                        headers = self._token(client)
                        continue
                    if response.status_code >= 500:
                        self.retries += 1
                        time.sleep(0.1)
                        continue
                    break
                if response.status_code == 201:
                    self.committed.append(response.json()["id"])


def _runtime(stack: Stack) -> dict:
    return json.loads((stack.var_dir / "runtime.json").read_text())


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def _pid(runtime: dict, target: str) -> int | None:
    if target == "nats":
        return runtime["embedded"]["nats_pid"]
    return runtime["components"][target]["pid"]


def _running_pid(stack: Stack, target: str) -> int:
    """The pid of ``target`` once it runs (it may be between a death and its restart, e.g. after NATS was killed)."""
    deadline = time.monotonic() + RESTART_SECONDS
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, KeyError):
            pid = _pid(_runtime(stack), target)
            if pid is not None and _alive(pid):
                return pid
        time.sleep(0.1)
    raise RuntimeError(f"{target} was not running for {RESTART_SECONDS:g}s")


def _kill_and_wait_for_restart(stack: Stack, target: str) -> float:
    """SIGKILL ``target``; return the seconds until ``hub up`` runs a new process for it."""
    pid = _running_pid(stack, target)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    while time.monotonic() - killed < RESTART_SECONDS:
        assert stack.process.poll() is None, "hub up stopped"
        with contextlib.suppress(OSError, ValueError, KeyError):
            new = _pid(_runtime(stack), target)
            if new != pid and _alive(new):
                return time.monotonic() - killed
        time.sleep(0.1)
    raise RuntimeError(f"{target} was not restarted within {RESTART_SECONDS:g}s")


def _landed(stack: Stack, log_ids: list[str]) -> Counter:
    """How many times each log's event is in raw.events (read between pipeline passes)."""
    import duckdb

    warehouse = stack.var_dir / "warehouse" / "hub.duckdb"
    with contextlib.closing(duckdb.connect(":memory:")) as conn:
        while True:
            try:
                conn.execute(f"ATTACH '{warehouse}' AS warehouse (READ_ONLY)")
                break
            except duckdb.IOException:  # a pass holds the write lock
                time.sleep(0.2)
        rows = conn.execute(
            "SELECT subject_id, count(*) FROM warehouse.raw.events WHERE type = 'training.session_rpe.logged' "
            "AND subject_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY subject_id",
            [log_ids],
        ).fetchall()
    return Counter(dict(rows))


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    rng = random.Random(args.seed)
    trials: list[dict] = []
    with running_stack(extra_env={"HUB_MAX_RESTARTS": str(args.trials + 10)}) as stack:
        writers = [Writer(stack.gateway, PLAYERS[i % len(PLAYERS)], random.Random(i)) for i in range(args.clients)]
        for writer in writers:
            writer.thread.start()
        try:
            for number in range(args.trials):
                time.sleep(rng.uniform(0.5, 4.0))  # a random moment, not a wait for a condition
                target = rng.choice(TARGETS)
                trials.append({"trial": number + 1, "target": target,
                               "restarted_after_s": round(_kill_and_wait_for_restart(stack, target), 2)})  # fmt: skip
        finally:
            for writer in writers:
                writer.stop.set()
            for writer in writers:
                writer.thread.join(30)
        committed = [log_id for writer in writers for log_id in writer.committed]
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while True:
            counts = _landed(stack, committed)
            if len(counts) == len(set(committed)) or time.monotonic() > deadline:
                break
            time.sleep(2.0)  # the pipeline's next pass; bounded by CATCH_UP_SECONDS
    lost = len(set(committed) - set(counts))
    duplicated = sum(1 for count in counts.values() if count > 1)
    by_target = Counter(trial["target"] for trial in trials)
    figures = {
        "trials": len(trials),
        "trials_by_target": dict(by_target),
        "writes_committed": len(committed),
        "write_retries": sum(writer.retries for writer in writers),
        "lost": lost,
        "duplicated": duplicated,
        "target_met": lost == 0 and duplicated == 0,
        "trial_log": trials,
    }

    def mean_restart(target: str) -> float:
        seconds = [trial["restarted_after_s"] for trial in trials if trial["target"] == target]
        return round(sum(seconds) / len(seconds), 2) if seconds else float("nan")

    print_table(
        f"faults ({len(trials)} kill -9 trials, {args.clients} writers)",
        ("target", "kills", "mean restart s"),
        [(target, by_target[target], mean_restart(target)) for target in TARGETS],
    )
    outcome = f"{lost} lost, {duplicated} duplicated ({verdict(figures['target_met'])})"
    print(f"  committed {len(committed)} writes: {outcome}")
    write_result("faults", figures)
    return figures
