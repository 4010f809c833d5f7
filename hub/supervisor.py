"""Child processes of ``hub up``: start, wait until ready, restart with backoff, stop without leaving orphans.

Every child runs in its own session (process group), so Ctrl-C in the terminal reaches only the supervisor, which
then stops the children in order; the whole group is signalled, so a child's own helpers go with it. Each child also
asks the kernel for SIGTERM when the supervisor dies (PR_SET_PDEATHSIG), so a supervisor killed with SIGKILL leaves
nothing running behind it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None]:
    """A ``preexec_fn`` that makes the child receive SIGTERM when the process that started it dies."""
    parent_pid = os.getpid()

    def _set_parent_death_signal() -> None:
        # a child inherits blocked and ignored signals through fork and exec; with SIGTERM blocked or ignored, the
        # parent-death signal would arrive and do nothing
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return _set_parent_death_signal


class ComponentFailed(Exception):
    """A child kept dying (or never became ready); the whole stack stops."""


@dataclass
class ChildSpec:
    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str] | None = None
    cwd: Path | None = None
    # Readiness: an HTTP probe, or a line the child prints; with neither, a child that stays up for
    # ``settle_seconds`` counts as ready.
    ready_probe: Callable[[], bool] | None = None
    ready_marker: str | None = None
    settle_seconds: float = 2.0
    url: str | None = None


@dataclass
class _Child:
    spec: ChildSpec
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    log_offset: int = 0
    ready: bool = False
    restart_at: float | None = None
    deaths: deque[float] = field(default_factory=deque)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with code {returncode}"


class Supervisor:
    def __init__(
        self,
        specs: list[ChildSpec],
        *,
        say: Callable[[str], None] = lambda line: print(line, flush=True),
        max_restarts: int = 3,
        restart_window_seconds: float = 120.0,
        backoff_seconds: float = 1.0,
        stop_timeout_seconds: float = 10.0,
        tail_lines: int = 20,
        on_restart: Callable[[], None] | None = None,
        on_spawn: Callable[[int], None] | None = None,
    ):
        self.children = {spec.name: _Child(spec) for spec in specs}
        self.say = say
        self.max_restarts = max_restarts
        self.restart_window_seconds = restart_window_seconds
        self.backoff_seconds = backoff_seconds
        self.stop_timeout_seconds = stop_timeout_seconds
        self.tail_lines = tail_lines
        self.on_restart = on_restart
        self.on_spawn = on_spawn  # gets each new child's pid, which is also its process group's id
        self._adopted: set[str] = set()

    # starting ---------------------------------------------------------------------------------------------------

    def start(self) -> None:
        for name, child in self.children.items():
            if name not in self._adopted:
                self._spawn(child)

    def _spawn(self, child: _Child) -> None:
        spec = child.spec
        spec.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(spec.log_path, "ab") as log:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            log.write(f"---- {stamp} starting {spec.name}: {' '.join(spec.argv)}\n".encode())
            log.flush()
            child.log_offset = log.tell()  # readiness and death reports read this run's own output only
            child.process = subprocess.Popen(
                spec.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=spec.env,
                cwd=spec.cwd,
                start_new_session=True,
                preexec_fn=die_with_parent(),
            )
        if self.on_spawn is not None:
            self.on_spawn(child.process.pid)
        child.started_at = time.monotonic()
        child.ready = False
        child.restart_at = None

    def adopt(self, spec: ChildSpec, process: subprocess.Popen) -> None:
        """Supervise a process started before the others (the embedded NATS): restarted with ``spec`` when it dies,
        and stopped after every other child."""
        child = _Child(spec, process=process, started_at=time.monotonic(), ready=True)
        self.children[spec.name] = child
        self._adopted.add(spec.name)

    def pids(self) -> dict[str, int | None]:
        return {name: c.process.pid if c.running else None for name, c in self.children.items()}

    # watching ---------------------------------------------------------------------------------------------------

    def poll(self) -> None:
        """Notice children that died, report them, restart them when their backoff has passed.

        Raises :class:`ComponentFailed` when a child died more than ``max_restarts`` times within the window.
        """
        now = time.monotonic()
        restarted = False
        for child in self.children.values():
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self.say(f"  [..] restarting {child.spec.name}")
                    self._spawn(child)
                    restarted = True
                continue
            if child.process is None or child.process.poll() is None:
                continue
            self._handle_death(child, now)
        if restarted and self.on_restart is not None:
            self.on_restart()

    def _handle_death(self, child: _Child, now: float) -> None:
        spec, returncode = child.spec, child.process.returncode
        self._kill_group(child, signal.SIGKILL)  # whatever the child left behind in its group goes with it
        while child.deaths and now - child.deaths[0] > self.restart_window_seconds:
            child.deaths.popleft()
        restarts_so_far = len(child.deaths)
        tail = self.log_tail(child)
        if tail:
            self.say(f"  [!!] {spec.name} {describe_exit(returncode)}; last lines of {spec.log_path}:")
            for line in tail:
                self.say(f"    | {line}")
        else:
            self.say(f"  [!!] {spec.name} {describe_exit(returncode)} without printing anything")
        if restarts_so_far >= self.max_restarts:
            window = f"{self.restart_window_seconds:g} seconds"
            raise ComponentFailed(
                f"{spec.name} {describe_exit(returncode)} again after {restarts_so_far} restarts within {window}; "
                f"see {spec.log_path}"
            )
        child.deaths.append(now)
        backoff = self.backoff_seconds * 2**restarts_so_far
        child.restart_at = now + backoff
        self.say(f"    restarting {spec.name} in {backoff:g}s (restart {restarts_so_far + 1} of {self.max_restarts})")

    def log_tail(self, child: _Child) -> list[str]:
        try:
            with open(child.spec.log_path, "rb") as log:
                log.seek(child.log_offset)
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return []
        return text.splitlines()[-self.tail_lines :]

    def _is_ready(self, child: _Child) -> bool:
        spec = child.spec
        if spec.ready_probe is not None:
            return spec.ready_probe()
        if spec.ready_marker is not None:
            return any(spec.ready_marker in line for line in self.log_tail(child))
        return time.monotonic() - child.started_at >= spec.settle_seconds

    def wait_until_ready(self, timeout_seconds: float, stop: threading.Event, poll_seconds: float = 0.25) -> bool:
        """Block until every child is ready (one line each as they get there); False when ``stop`` was set."""
        deadline = time.monotonic() + timeout_seconds
        while not stop.is_set():
            self.poll()
            for child in self.children.values():
                if not child.ready and child.running and self._is_ready(child):
                    child.ready = True
                    took = time.monotonic() - child.started_at
                    where = f"  {child.spec.url}" if child.spec.url else ""
                    self.say(f"  [ok] {child.spec.name:<11} ready in {took:4.1f}s{where}")
            waiting = [child for child in self.children.values() if not child.ready]
            if not waiting:
                return True
            if time.monotonic() > deadline:
                names = ", ".join(c.spec.name for c in waiting)
                raise ComponentFailed(f"not ready after {timeout_seconds:g}s: {names} (see {waiting[0].spec.log_path})")
            stop.wait(poll_seconds)
        return False

    def supervise(self, stop: threading.Event, poll_seconds: float = 0.5) -> None:
        """Watch the children until ``stop`` is set; raises :class:`ComponentFailed` when one keeps dying."""
        while not stop.wait(poll_seconds):
            self.poll()

    # stopping ---------------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """SIGTERM to every child's group, SIGKILL to any still running after the timeout; adopted children (the
        servers the others use) last, once the others are gone."""
        for child in self.children.values():
            child.restart_at = None
        self._stop([c for name, c in self.children.items() if name not in self._adopted])
        self._stop([c for name, c in self.children.items() if name in self._adopted])

    def _stop(self, children: list[_Child]) -> None:
        running = [c for c in children if c.running]
        for child in running:
            self._kill_group(child, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout_seconds
        for child in running:
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"  {child.spec.name} did not stop within {self.stop_timeout_seconds:g}s; killing it")
                self._kill_group(child, signal.SIGKILL)
                child.process.wait()
        for child in self.children.values():
            child.restart_at = None
        for child in running:
            self._kill_group(child, signal.SIGKILL)  # helpers a child left behind in its group

    @staticmethod
    def _kill_group(child: _Child, signum: int) -> None:
        if child.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signum)
