"""The guardian of a `hub up` run stops what a killed `hub up` left running, and nothing after a clean stop."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.hub.processes import process_gone, wait_until

# A stand-in for `hub up`: starts its guardian, then a child in a session of its own (as the supervisor does) that
# ignores SIGTERM, tells the guardian, prints both pids, and then either stops cleanly or waits to be killed.
PARENT = textwrap.dedent(
    """
    import subprocess, sys, time
    from pathlib import Path
    from hub import guardian
    watcher = guardian.start(Path(sys.argv[1]))
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    child = subprocess.Popen([sys.executable, "-c", stubborn], start_new_session=True)
    guardian.tell(watcher, f"group {child.pid}")
    print(child.pid, watcher.pid, flush=True)
    if sys.argv[2] == "clean":
        guardian.tell(watcher, "done")
        watcher.stdin.close()
        watcher.wait(10)
        child.kill()
        child.wait()
        print("stopped", flush=True)
    time.sleep(600)
    """
)


def _start(tmp_path: Path, how: str) -> tuple[subprocess.Popen, int, int]:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path / "guardian.log"), how],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    child_pid, guardian_pid = map(int, parent.stdout.readline().split())
    return parent, child_pid, guardian_pid


def test_a_killed_hub_up_leaves_nothing_behind_even_a_child_that_ignores_sigterm(tmp_path):
    parent, child_pid, guardian_pid = _start(tmp_path, "killed")
    try:
        assert not process_gone(child_pid)
    finally:
        parent.kill()
        parent.wait()
    wait_until(lambda: process_gone(child_pid) and process_gone(guardian_pid), timeout=15)
    log = (tmp_path / "guardian.log").read_text()
    assert "hub up ended without stopping what it started" in log
    assert "still running 5s after SIGTERM; killing them" in log


def test_after_a_clean_stop_the_guardian_just_leaves(tmp_path):
    parent, _, guardian_pid = _start(tmp_path, "clean")
    try:
        assert parent.stdout.readline().strip() == "stopped"
        assert process_gone(guardian_pid)
    finally:
        parent.kill()
        parent.wait()
    assert not (tmp_path / "guardian.log").exists()
