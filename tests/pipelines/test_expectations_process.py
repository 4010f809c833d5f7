"""The Great Expectations check in its own process: the same verdict, gone when idle, never left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import psutil
import pyarrow as pa
import pytest

from pipelines.expectations import ExpectationOutcome, ValidationSummary
from pipelines.expectations_process import ExpectationsProcess, ExpectationsProcessFailed

NOW = datetime(2026, 1, 5, 10, tzinfo=UTC)
LOGGED = "training.session_rpe.logged"


def _frame(event_ids, types, occurred_at) -> pa.Table:
    # the shape the warehouse hands over (pipelines/expectations.py: raw_events_frame)
    schema = pa.schema({"event_id": pa.string(), "type": pa.string(), "occurred_at": pa.timestamp("us", "UTC")})
    return pa.table({"event_id": event_ids, "type": types, "occurred_at": occurred_at}, schema=schema)


def _worker(expectations: ExpectationsProcess) -> psutil.Process:
    """The worker of ``expectations`` (the suite may run other checks' workers in this process at the same time)."""
    assert expectations.worker_pid is not None, "no worker process"
    worker = psutil.Process(expectations.worker_pid)
    assert worker.ppid() == os.getpid() and "spawn_main" in " ".join(worker.cmdline())
    return worker


class _EndsTheProcessWhenUnpickled:
    """An argument whose unpickling kills the worker that receives it: a crash mid-check, made on purpose."""

    def __reduce__(self):
        return (os._exit, (70,))


def test_the_check_passes_good_rows_and_names_every_failed_expectation_on_bad_ones_then_its_process_ends():
    expectations = ExpectationsProcess(idle_seconds=0.5)
    try:
        good = _frame(["a", "b"], [LOGGED, LOGGED], [NOW, NOW])
        assert expectations.validate(good) == ValidationSummary(
            success=True,
            rows_checked=2,
            outcomes=[
                ExpectationOutcome("expect_column_values_to_not_be_null", "event_id", True, 0),
                ExpectationOutcome("expect_column_values_to_be_unique", "event_id", True, 0),
                ExpectationOutcome("expect_column_values_to_be_in_set", "type", True, 0),
                ExpectationOutcome("expect_column_values_to_not_be_null", "occurred_at", True, 0),
            ],
        )
        bad = _frame(["a", "a", None], [LOGGED, "x.unknown", "y.unknown"], [NOW, None, None])
        summary = expectations.validate(bad)
        assert not summary.success and summary.rows_checked == 3
        assert [(o.expectation, o.column, o.unexpected_count) for o in summary.failed] == [
            ("expect_column_values_to_not_be_null", "event_id", 1),
            ("expect_column_values_to_be_unique", "event_id", 2),
            ("expect_column_values_to_be_in_set", "type", 2),
            ("expect_column_values_to_not_be_null", "occurred_at", 2),
        ]

        worker = _worker(expectations)
        gone, alive = psutil.wait_procs([worker], timeout=30)  # idle 0.5 s, then its exit
        assert not alive, "the check's process is still there after its idle time"
        assert not expectations.running
    finally:
        expectations.close()


def test_a_check_process_that_dies_is_replaced_and_dying_twice_fails_the_check_clearly():
    expectations = ExpectationsProcess(idle_seconds=60)
    frame = _frame(["a"], [LOGGED], [NOW])
    try:
        with pytest.raises(ExpectationsProcessFailed, match="ended before it answered"):
            expectations.validate(_EndsTheProcessWhenUnpickled())
        assert expectations.validate(frame).success, "a crash leaves nothing broken for the next check"

        worker = _worker(expectations)
        worker.kill()  # while it waits for work (the kernel's out-of-memory killer, say)
        worker.wait(10)
        assert expectations.validate(frame).success
        assert _worker(expectations).pid != worker.pid
    finally:
        expectations.close()


def test_the_check_process_ends_with_the_process_that_started_it():
    # a pipeline killed with SIGKILL runs no exit handler: its worker notices the parent is gone and leaves
    script = textwrap.dedent(
        """
        import multiprocessing, sys
        from pipelines.expectations_process import ExpectationsProcess

        ExpectationsProcess(idle_seconds=600).start()
        print(*[p.pid for p in multiprocessing.active_children()], flush=True)
        sys.stdin.read()
        """
    )
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        (worker_pid,) = map(int, parent.stdout.readline().split())
        worker = psutil.Process(worker_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        gone, alive = psutil.wait_procs([worker], timeout=15)
        assert not alive, "the check's process outlived the process that started it"
    finally:
        parent.kill()
        parent.wait(10)


def test_the_check_process_does_not_run_the_script_that_started_it(tmp_path):
    # spawn re-runs the parent's __main__ in the child unless told otherwise: a script (or a Streamlit page run in the
    # same process) that must not run twice would break every check
    script = tmp_path / "starts_a_check.py"
    script.write_text(
        textwrap.dedent(
            """
            if __name__ != "__main__":
                raise SystemExit("the check's process ran the script that started it")
            from datetime import UTC, datetime

            import pyarrow as pa

            from pipelines.expectations_process import ExpectationsProcess

            frame = pa.table(
                {"event_id": ["a"], "type": ["training.session_rpe.logged"], "occurred_at": [datetime.now(UTC)]}
            )
            expectations = ExpectationsProcess(idle_seconds=60)
            print(expectations.validate(frame).success, flush=True)
            expectations.close()
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"
