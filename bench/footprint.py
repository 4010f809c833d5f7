"""Footprint of the whole ``make up`` stack: time from ``hub up`` to ready, memory idle and under load.

Memory is summed over every process of the stack (``hub up``, its components, NATS, the detached Postgres and its
backends), as PSS (shared pages split between the processes that share them) and as plain RSS. The baselines are
measured in the same run: the embedded Postgres and NATS on their own inside the stack (the floor any deployment of
this design carries), and the time to start just those two in a fresh directory.

"Idle" is the stack once its start-up work is over: the pipeline's start-up pass runs the Great Expectations check in
a child process that ends after ``HUB_PIPELINE_EXPECTATIONS_IDLE_SECONDS`` (60 s) without work (pipelines/
expectations_process.py), so the idle sample waits for that process to be gone (bounded), and the stack's memory just
after ready, with it, is recorded as well. The stack runs with its defaults: ``make bench`` hands the same stack to
the freshness benchmark next, whose passes need that process alive between them (a shorter setting here ended it
during every pass's dbt step on a loaded machine, and each pass paid 20 s to start a new one).

    python -m bench footprint [--idle-seconds 20] [--load-seconds 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import print_table, quick, verdict, wrk
from bench.results import write_result
from bench.soak import _roots, sample_memory
from bench.stack import _children, _proc_kib, _tree, running_stack
from hub.embedded import ensure_database, start_nats, start_postgres
from operational.registry import SERVICES
from pipelines.config import PipelineSettings

IDLE_TARGET_MIB = 1024
COACH = "coach@northside.example.org"
PLAYER = "elias.nilsson@northside.example.org"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench footprint")
    parser.add_argument("--idle-seconds", type=int, default=5 if quick() else 20)
    parser.add_argument("--load-seconds", type=int, default=3 if quick() else 20)
    # the check's process ends a minute after its last check, which can itself end late on a loaded machine
    parser.add_argument("--quiet-timeout-seconds", type=int, default=180)
    return parser.parse_args(argv)


def _bare_platform_start_seconds() -> float:
    work = Path(tempfile.mkdtemp(prefix="hub-bench-bare-"))
    started = time.monotonic()
    pg = start_postgres(work / "pg", delete_on_stop=True)
    ensure_database(pg.url, "hockey_hub")
    nats = start_nats(work / "nats")
    seconds = time.monotonic() - started
    nats.stop()
    pg.stop()
    shutil.rmtree(work, ignore_errors=True)
    return seconds


def _platform_pss_mib(stack) -> float:
    embedded = stack.runtime.get("embedded") or {}
    pids = [pid for root in (embedded.get("postgres_pid"), embedded.get("nats_pid")) if root for pid in _tree(root)]
    return sum(_proc_kib(pid, "smaps_rollup", "Pss:") for pid in pids) / 1024


def _check_processes(stack) -> list[int]:
    """The pipeline's spawned children (the Great Expectations worker; not multiprocessing's resource tracker)."""
    out = []
    for pid in _children().get(_roots(stack)["pipeline"], []):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            out.append(pid)
    return out


def _wait_for_check_process_to_end(stack, timeout: float) -> float:
    started = time.monotonic()
    while _check_processes(stack):
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the pipeline's Great Expectations process was still there after {timeout:.0f} s")
        time.sleep(1)
    return time.monotonic() - started


def _sample(stack, seconds: float) -> list[dict]:
    samples, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(stack.memory_mib())
        time.sleep(1)
    return samples


def main(argv: list[str] | None = None) -> dict:
    args = _args(argv)
    bare_start = _bare_platform_start_seconds()
    with running_stack() as stack:
        ready = stack.seconds_to_ready
        just_ready = stack.memory_mib()
        just_ready_by_component = sample_memory(stack)
        check_process_at_ready = bool(_check_processes(stack))
        waited = _wait_for_check_process_to_end(stack, timeout=args.quiet_timeout_seconds)
        idle = _sample(stack, args.idle_seconds)
        platform_idle = _platform_pss_mib(stack)
        by_component = [sample_memory(stack) for _ in range(3)]
        coach, player = stack.login(COACH), stack.login(PLAYER)
        day = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
        body = json.dumps({"session_date": day, "rpe": 6, "duration_minutes": 60, "allow_duplicate": True})
        loads: dict[str, dict] = {}

        def read() -> None:
            url = f"{stack.gateway}/api/v1/training/rpe-logs"
            loads["read"] = wrk(url, seconds=args.load_seconds, connections=8, headers=coach)

        def write() -> None:
            url = f"{stack.gateway}/api/v1/training/rpe-logs"
            headers = {**player, "Content-Type": "application/json"}
            loads["write"] = wrk(url, seconds=args.load_seconds, connections=4, headers=headers, body=body)

        threads = [threading.Thread(target=read), threading.Thread(target=write)]
        for thread in threads:
            thread.start()
        loaded = _sample(stack, args.load_seconds)
        for thread in threads:
            thread.join()
        # the pipeline works through what the writes produced after the load itself ended
        loaded += _sample(stack, min(20, args.load_seconds))
    idle_pss = statistics.median(s["pss_mib"] for s in idle)
    idle_rss = statistics.median(s["rss_mib"] for s in idle)
    peak_pss = max(s["pss_mib"] for s in loaded)
    peak_rss = max(s["rss_mib"] for s in loaded)
    result = {
        "seconds_from_hub_up_to_ready": round(ready, 1),
        "bare_postgres_and_nats_start_seconds": round(bare_start, 1),
        "processes": idle[-1]["processes"],
        "services_registered": [service.name for service in SERVICES],
        "just_ready_pss_mib": round(just_ready["pss_mib"]),
        "just_ready_pipeline_pss_mib": round(just_ready_by_component.get("pipeline", {}).get("pss_mib", 0)),
        "check_process_there_just_after_ready": check_process_at_ready,
        "check_process_idle_seconds": PipelineSettings.model_fields["expectations_idle_seconds"].default,
        "seconds_waited_for_the_check_process_to_end": round(waited, 1),
        "idle_pss_mib": round(idle_pss),
        "idle_rss_sum_mib": round(idle_rss),
        "platform_only_idle_pss_mib": round(platform_idle),
        "idle_pss_mib_by_component": {
            name: round(statistics.median(sample[name]["pss_mib"] for sample in by_component if name in sample))
            for name in sorted(by_component[-1], key=lambda name: -by_component[-1][name]["pss_mib"])
        },
        "under_load_peak_pss_mib": round(peak_pss),
        "under_load_peak_rss_sum_mib": round(peak_rss),
        "load": {name: {k: round(v, 1) for k, v in figures.items()} for name, figures in loads.items()},
        "target_idle_max_mib": IDLE_TARGET_MIB,
        "target_met": idle_pss <= IDLE_TARGET_MIB,
    }
    rows = [
        ("hub up → every component ready", f"{ready:.1f} s", f"{ready / bare_start:.1f}× bare Postgres + NATS start"),
        ("bare Postgres + NATS start (baseline)", f"{bare_start:.1f} s", ""),
        (
            "whole stack just after ready, PSS",
            f"{just_ready['pss_mib']:,.0f} MiB",
            "with the check's process" if check_process_at_ready else "the check's process already gone",
        ),
        ("whole stack idle, PSS", f"{idle_pss:,.0f} MiB", f"RSS summed {idle_rss:,.0f} MiB"),
        ("  of which Postgres + NATS (baseline)", f"{platform_idle:,.0f} MiB", f"{idle_pss / platform_idle:.1f}×"),
        ("whole stack under load, peak PSS", f"{peak_pss:,.0f} MiB", f"RSS summed {peak_rss:,.0f} MiB"),
    ]
    rows += [(f"  {name}", f"{mib:,} MiB", "idle PSS") for name, mib in result["idle_pss_mib_by_component"].items()]
    print_table(f"footprint ({result['processes']} processes)", ("what", "figure", "note"), rows)
    print(
        f"  target: idle ≤ {IDLE_TARGET_MIB / 1024:.0f} GiB with {len(SERVICES)} services registered: "
        f"{verdict(result['target_met'])}"
    )
    write_result("footprint", result)
    return result


if __name__ == "__main__":
    main()
