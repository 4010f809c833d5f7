"""The guardian of one ``hub up`` run: when ``hub up`` dies without stopping what it started, it stops it.

``hub up`` starts it first, in a session of its own, and tells it over a pipe (its stdin) what it started: the process
group of each child and the embedded Postgres (which runs detached, so no parent-death signal reaches it). A clean
stop ends with ``done``. End of input without ``done`` means ``hub up`` was killed (SIGKILL gives it no chance to
clean up): the guardian sends SIGTERM to every group still there, SIGKILL to what is left after
``GROUP_STOP_SECONDS``, stops Postgres (fast shutdown: open transactions roll back, committed data is safe), removes
the run's runtime file, and exits. The children also ask for SIGTERM on their parent's death (supervisor.py), so
they begin stopping at once; the guardian makes sure they finish.

Protocol, one line each: ``group <pgid>``, ``postgres <pid>``, ``runtime <path>``, ``done``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

GROUP_STOP_SECONDS = 5.0
POSTGRES_STOP_SECONDS = 10.0


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_postgres(pid: int) -> bool:
    try:
        return b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signum)


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class Guardian:
    def __init__(self, say: Callable[[str], None]):
        self.say = say
        self.groups: list[int] = []
        self.postgres_pid: int | None = None
        self.runtime_file: Path | None = None
        self.done = False

    def read(self, line: str) -> None:
        word, _, value = line.strip().partition(" ")
        if word == "group":
            self.groups.append(int(value))
        elif word == "postgres":
            self.postgres_pid = int(value)
        elif word == "runtime":
            self.runtime_file = Path(value)
        elif word == "done":
            self.done = True

    def clean_up(self, hub_pid: int) -> None:
        """Stop what the dead ``hub up`` (``hub_pid``) left running."""
        alive = [pgid for pgid in dict.fromkeys(self.groups) if _group_alive(pgid)]
        for pgid in alive:
            _signal_group(pgid, signal.SIGTERM)
        if not _wait(lambda: not any(_group_alive(pgid) for pgid in alive), GROUP_STOP_SECONDS):
            stubborn = [pgid for pgid in alive if _group_alive(pgid)]
            self.say(f"process groups {stubborn} still running {GROUP_STOP_SECONDS:g}s after SIGTERM; killing them")
            for pgid in stubborn:
                _signal_group(pgid, signal.SIGKILL)
        if alive:
            self.say(f"stopped process groups {alive}")
        pid = self.postgres_pid
        if pid is not None and _is_postgres(pid):
            _signal(pid, signal.SIGINT)  # fast shutdown
            if not _wait(lambda: not _is_postgres(pid), POSTGRES_STOP_SECONDS):
                self.say("Postgres did not stop in time; immediate shutdown")
                _signal(pid, signal.SIGQUIT)
            self.say(f"stopped Postgres (pid {pid})")
        if self.runtime_file is not None:
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                if json.loads(self.runtime_file.read_text())["pid"] == hub_pid:  # not a newer run's
                    self.runtime_file.unlink()


def main() -> None:
    hub_pid = os.getppid()
    log_path = Path(sys.argv[1]) if len(sys.argv) > 1 else None

    def say(line: str) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        if log_path is not None:
            with open(log_path, "a") as log:
                log.write(f"{stamp} guardian of hub up (pid {hub_pid}): {line}\n")

    # Ctrl-C in the terminal reaches hub up's group, not this session; a stray one must not end the guard early.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    guardian = Guardian(say)
    for line in sys.stdin:
        guardian.read(line)
    if not guardian.done:
        say("hub up ended without stopping what it started; stopping it now")
        guardian.clean_up(hub_pid)


def start(log_path: Path) -> subprocess.Popen:
    """The guardian of the calling process (``hub up``), ready for :func:`tell`."""
    return subprocess.Popen(
        [sys.executable, "-m", "hub.guardian", str(log_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )


def tell(guardian: subprocess.Popen | None, line: str) -> None:
    """Send one line; a guardian that is gone is not a reason to fail ``hub up``."""
    if guardian is None or guardian.stdin is None:
        return
    with contextlib.suppress(OSError, ValueError):
        guardian.stdin.write(line + "\n")
        guardian.stdin.flush()


if __name__ == "__main__":
    main()
