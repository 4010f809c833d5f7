"""The supervisor of `hub up`: deaths are reported and restarted, then given up on; nothing outlives a stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from hub.supervisor import ChildSpec, ComponentFailed, Supervisor
from tests.hub.processes import process_gone, wait_until

SLEEPER = [sys.executable, "-c", "import time; print('sleeping', flush=True); time.sleep(600)"]


def _spec(tmp_path: Path, name: str, argv: list[str], **kwargs) -> ChildSpec:
    return ChildSpec(name=name, argv=argv, log_path=tmp_path / f"{name}.log", **kwargs)


def _poll_until_failure(supervisor: Supervisor, timeout: float = 20.0) -> ComponentFailed:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            supervisor.poll()
        except ComponentFailed as exc:
            return exc
        time.sleep(0.02)
    raise AssertionError("the supervisor never gave up on the failing child")


def test_a_dying_child_is_reported_restarted_with_backoff_and_then_given_up(tmp_path):
    failing = [sys.executable, "-c", "print('cannot open the warehouse', flush=True); raise SystemExit(3)"]
    lines: list[str] = []
    supervisor = Supervisor(
        [_spec(tmp_path, "steady", SLEEPER), _spec(tmp_path, "flaky", failing)],
        say=lines.append,
        max_restarts=2,
        backoff_seconds=0.05,
    )
    supervisor.start()
    steady = supervisor.children["steady"].process
    try:
        failure = _poll_until_failure(supervisor)
    finally:
        supervisor.stop()

    report = "\n".join(lines)
    assert "flaky exited with code 3" in report
    assert "| cannot open the warehouse" in report  # the tail of its log, so the reason is on screen
    assert "restarting flaky in 0.05s (restart 1 of 2)" in report
    assert "restarting flaky in 0.1s (restart 2 of 2)" in report  # the backoff doubles
    assert "flaky exited with code 3 again after 2 restarts" in str(failure)
    assert (tmp_path / "flaky.log").read_text().count("starting flaky") == 3
    # the healthy child was never restarted, and the stop took it down
    assert (tmp_path / "steady.log").read_text().count("starting steady") == 1
    assert steady.poll() is not None
    assert process_gone(steady.pid)


def test_deaths_outside_the_window_do_not_count(tmp_path):
    failing = [sys.executable, "-c", "raise SystemExit(1)"]
    supervisor = Supervisor(
        [_spec(tmp_path, "flaky", failing)],
        say=lambda _line: None,
        max_restarts=1,
        restart_window_seconds=0.0,
        backoff_seconds=0.01,
    )
    supervisor.start()
    try:
        wait_until(lambda: (tmp_path / "flaky.log").read_text().count("starting flaky") >= 4, supervisor.poll)
    finally:
        supervisor.stop()


def test_stop_takes_down_the_childs_own_helpers(tmp_path):
    spawner = textwrap.dedent(
        """
        import subprocess, sys, time
        helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print(f"helper {helper.pid}", flush=True)
        time.sleep(600)
        """
    )
    supervisor = Supervisor([_spec(tmp_path, "spawner", [sys.executable, "-c", spawner], ready_marker="helper ")])
    supervisor.start()
    try:
        assert supervisor.wait_until_ready(20, threading.Event())
    finally:
        log = (tmp_path / "spawner.log").read_text()
        supervisor.stop()
    helper_pid = int(log.rsplit("helper ", 1)[1].split()[0])
    wait_until(lambda: process_gone(helper_pid))


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout(tmp_path):
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); "
        "time.sleep(600)"
    )
    lines: list[str] = []
    supervisor = Supervisor(
        [_spec(tmp_path, "stubborn", [sys.executable, "-c", stubborn], ready_marker="ready")],
        say=lines.append,
        stop_timeout_seconds=0.5,
    )
    supervisor.start()
    assert supervisor.wait_until_ready(20, threading.Event())
    process = supervisor.children["stubborn"].process
    started = time.monotonic()
    supervisor.stop()
    assert process.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5
    assert any("did not stop within 0.5s; killing it" in line for line in lines)


def test_readiness_timeout_names_the_component(tmp_path):
    supervisor = Supervisor([_spec(tmp_path, "silent", SLEEPER, ready_marker="never printed")], say=lambda _: None)
    supervisor.start()
    try:
        with pytest.raises(ComponentFailed, match=r"not ready after 0.5s: silent"):
            supervisor.wait_until_ready(0.5, threading.Event())
    finally:
        supervisor.stop()


def test_children_die_with_a_killed_supervisor(tmp_path):
    """SIGKILL gives the supervisor no chance to clean up; the kernel's parent-death signal does it instead."""
    script = textwrap.dedent(
        f"""
        import sys, threading
        from pathlib import Path
        from hub.supervisor import ChildSpec, Supervisor
        spec = ChildSpec(name="sleeper", argv={SLEEPER!r}, log_path=Path({str(tmp_path / "sleeper.log")!r}))
        supervisor = Supervisor([spec])
        supervisor.start()
        print(supervisor.pids()["sleeper"], flush=True)
        supervisor.supervise(threading.Event())
        """
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child_pid = int(supervisor.stdout.readline())
        assert not process_gone(child_pid)
    finally:
        supervisor.kill()
        supervisor.wait()
    try:
        wait_until(lambda: process_gone(child_pid))
    except AssertionError:
        status = Path(f"/proc/{child_pid}/status").read_text()
        facts = [
            line
            for line in status.splitlines()
            if line.split(":")[0] in {"State", "PPid", "SigBlk", "SigIgn", "SigPnd", "ShdPnd"}
        ]
        raise AssertionError(f"the child outlived its killed supervisor: {facts}") from None


def test_an_adopted_server_is_restarted_when_it_dies_and_stopped_after_the_others(tmp_path):
    """The embedded NATS starts before the components; once adopted, it is supervised like them, but stops last."""
    order_file = tmp_path / "order"
    noting = (
        "import signal, sys, time\n"
        "def stop(*_):\n"
        f"    open({str(order_file)!r}, 'a').write(sys.argv[1] + '\\n'); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop); print('up', flush=True); time.sleep(600)\n"
    )
    server_spec = _spec(tmp_path, "server", [sys.executable, "-c", noting, "server"])
    server = subprocess.Popen(server_spec.argv, start_new_session=True)
    lines: list[str] = []
    supervisor = Supervisor(
        [_spec(tmp_path, "component", [sys.executable, "-c", noting, "component"], ready_marker="up")],
        say=lines.append,
        backoff_seconds=0.05,
    )
    supervisor.adopt(server_spec, server)
    supervisor.start()
    try:
        assert supervisor.wait_until_ready(20, threading.Event())
        server.kill()
        server.wait()
        wait_until(lambda: supervisor.pids()["server"] not in (None, server.pid), supervisor.poll)
        assert any("server was killed by SIGKILL" in line for line in lines)
        restarted_up = lambda: "up" in (tmp_path / "server.log").read_text().splitlines()  # noqa: E731
        wait_until(restarted_up, supervisor.poll)  # a line of its own: the log's header quotes the script
    finally:
        supervisor.stop()
    assert order_file.read_text().split() == ["component", "server"], (tmp_path / "server.log").read_text()


def test_runtime_json_appears_only_once_every_component_is_ready(tmp_path):
    """Whoever waits for var/runtime.json (scripts, the benchmarks, the tests) takes it for "ready"; a component that
    cannot start is restarted before that, and the restart must not write the file early."""
    from hub.runtime import Runtime
    from hub.settings import RuntimeSettings

    failing = [sys.executable, "-c", "raise SystemExit(1)"]
    runtime = Runtime(RuntimeSettings(var_dir=tmp_path), say=lambda _line: None)
    supervisor = Supervisor(
        [_spec(tmp_path, "worker", failing, ready_marker="worker ready")],
        say=lambda _line: None,
        max_restarts=3,
        backoff_seconds=0.01,
        on_restart=runtime._restarted,
    )
    supervisor.start()
    try:
        wait_until(lambda: (tmp_path / "worker.log").read_text().count("starting worker") >= 3, supervisor.poll)
    finally:
        supervisor.stop()
    assert not runtime.runtime_file.exists()
