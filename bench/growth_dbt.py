"""The growth benchmark's dbt builds, in one long-lived process for the whole run, as the pipeline runs them.

The process imports dbt and parses the manifest once (as the pipeline's process does), then serves build requests:
a JSON line on stdin (``{"warehouse": path, "build": "full" | "incremental"}``) is answered by a JSON line on
stdout with the build's seconds and its peak resident memory. A process per build cost each build a start-up and a
parse (about 20 s on a 2-core machine) that nothing measured.

Each build's peak is its own: before it, the process's high-water mark is reset to its current resident memory
(``5`` written to /proc/self/clear_refs resets VmHWM, Linux 4.0 and later), and VmHWM is read after it: the
interpreter, dbt and the manifest are included, as they were in a process per build. The reset is checked once at
start-up (memory touched then freed must leave the mark); where it does not work, the peaks are ``None`` and
``peak_rss_unavailable`` says why, rather than a figure that is the largest of every build so far.

The worker holds no connection between builds (the in-process dbt run closes dbt-duckdb's, the build record's
sessions close theirs), so the benchmark deletes the warehouse file between league sizes and makes a fresh one at
the same path, and every build connects to the file that is there when it starts.

    python -m bench.growth_dbt <warehouse path>   (started by DbtWorker; HUB_WAREHOUSE_PATH must name the same file)
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bench.common import TELEMETRY_OFF, stop_process

_CHECK_MIB = 64  # memory touched and freed by the start-up check: a reset that works leaves far less of it


def _memory_kib() -> dict[str, int]:
    """VmRSS and VmHWM (KiB) of this process, from one read of /proc/self/status (so the two are consistent)."""
    figures = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0])
    return figures


def _release_garbage() -> None:
    """Give freed memory back before a build's mark is reset, so that what one build left in the allocator's free
    lists does not count as resident memory of the next (a fresh process started without it)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def reset_peak_rss() -> str | None:
    """Reset this process's VmHWM to its current resident memory: None when done, else why not."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError as error:
        return f"the peak resident memory cannot be reset here (writing 5 to /proc/self/clear_refs: {error})"
    return None


def peak_reset_failure() -> str | None:
    """None when resetting the peak works in this process; else why it does not (checked, not assumed: a kernel
    may take the write and leave the mark as it was)."""
    touched = bytearray(_CHECK_MIB * 2**20)
    for offset in range(0, len(touched), 4096):
        touched[offset] = 1
    del touched  # a large block goes back to the system at once: resident memory falls, the mark stays
    _release_garbage()
    if failure := reset_peak_rss():
        return failure
    memory = _memory_kib()
    if memory["VmHWM"] - memory["VmRSS"] > _CHECK_MIB * 1024 // 2:
        return f"writing 5 to /proc/self/clear_refs left VmHWM at {memory['VmHWM']} KiB over VmRSS {memory['VmRSS']}"
    return None


# --- the worker process -----------------------------------------------------------------------------------------------


def _one_build(warehouse: Path, build: str, manifest, fingerprint: str) -> dict:
    """One dbt build as the pipeline's dbt step runs it. ``full``: the pipeline's build from scratch (what a pass
    selects, every table rebuilt); ``incremental``: the next pass, planned from the warehouse's build record (only
    what the event types loaded since reach), with the views a running pipeline already made left out, as
    bench/dbt_build.py times it."""
    from pipelines.dbt_build import PIPELINE_EXCLUDE, invoke_dbt, pass_selection
    from pipelines.dbt_selection import plan_pass, record_build
    from warehouse.duckdb_warehouse import DuckDBWarehouse

    store = DuckDBWarehouse(warehouse, warehouse.parent / "serving")
    started = time.perf_counter()
    with store.session() as session:
        plan = plan_pass(session, manifest, fingerprint)
    if build == "full":
        if plan.select is not None:
            raise RuntimeError(f"a full build was asked for on a warehouse with a build recorded: {plan.reason}")
        command = ["build", "--threads", "4", "--full-refresh", "--exclude", *PIPELINE_EXCLUDE.split()]
    else:
        if plan.select is None or plan.builds_nothing:
            raise RuntimeError(f"the pass after one more day would build everything or nothing: {plan.reason}")
        command = ["build", "--threads", "4", *pass_selection(plan, manifest, views_built=True)]
    outcome = invoke_dbt(command)
    if not outcome.success:
        raise RuntimeError(f"dbt build failed: {outcome.exception or outcome.failed_nodes}")
    with store.session() as session:
        record_build(session, plan)
    return {"seconds": time.perf_counter() - started, "select": plan.select}


def _protocol_stream() -> IO[str]:
    """This process's stdout for the answers alone: whatever dbt or a library prints goes to stderr instead."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return answers


def serve(warehouse: Path) -> None:
    """Parse the manifest once, then answer build requests on stdin until it closes."""
    from pipelines.config import DbtProfileSettings
    from pipelines.dbt_build import manifest_fingerprint, parsed_manifest

    answers = _protocol_stream()
    profile_path = DbtProfileSettings().duckdb_path
    if profile_path.resolve() != warehouse.resolve():
        raise SystemExit(f"dbt's profile builds on {profile_path}, not on {warehouse}: set HUB_WAREHOUSE_PATH")
    manifest = parsed_manifest()  # parsed once per pipeline process: not part of a pass
    fingerprint = manifest_fingerprint()
    unavailable = peak_reset_failure()
    answers.write(json.dumps({"ready": True, "peak_rss_unavailable": unavailable}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if Path(request["warehouse"]).resolve() != warehouse.resolve():
                raise RuntimeError(f"this worker builds on {warehouse} only, not {request['warehouse']}")
            _release_garbage()
            failure = unavailable or reset_peak_rss()
            figures = _one_build(warehouse, request["build"], manifest, fingerprint)
            figures["peak_rss_mib"] = None if failure else _memory_kib()["VmHWM"] / 1024
            figures["peak_rss_unavailable"] = failure
        except Exception as error:  # noqa: BLE001 - the benchmark reports it and stops
            figures = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(figures) + "\n")


# --- the benchmark's side -----------------------------------------------------------------------------------------


class DbtWorker:
    """The benchmark's handle on the worker process: :meth:`build` sends one request and waits for its answer."""

    def __init__(self, process: subprocess.Popen, stderr: IO[bytes], ready: dict):
        self.process, self._stderr, self.ready = process, stderr, ready

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise RuntimeError(f"the dbt worker exited ({self.process.returncode}): {self._stderr_tail()}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the dbt worker's build failed: {answer['error']}\n{self._stderr_tail()}")
        return answer

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-1500:]

    def build(self, warehouse: Path, build: str) -> dict:
        """``{"seconds", "select", "peak_rss_mib", "peak_rss_unavailable"}`` of one ``full`` or ``incremental``
        build on ``warehouse``."""
        self.process.stdin.write(json.dumps({"warehouse": str(warehouse), "build": build}) + "\n")
        self.process.stdin.flush()
        return self._answer()


@contextlib.contextmanager
def dbt_worker(warehouse: Path) -> Iterator[DbtWorker]:
    """A worker building on ``warehouse`` (the file may be replaced between builds), once it has parsed the
    manifest; stopped on exit."""
    env = {**os.environ, **TELEMETRY_OFF, "HUB_WAREHOUSE_PATH": str(warehouse), "HUB_DBT_TARGET": "duckdb"}
    argv = [sys.executable, "-m", "bench.growth_dbt", str(warehouse)]
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        try:
            worker = DbtWorker(process, stderr, {})
            worker.ready = worker._answer()
            yield worker
        finally:
            process.stdin.close()  # the worker's loop ends with its stdin
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                stop_process(process)
            process.stdout.close()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
