"""Helpers for tests that watch real processes come and go."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def process_gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (a zombie waiting for its parent to reap it counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def wait_until(condition: Callable[[], bool], *between: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout:g}s")
        for step in between:
            step()
        time.sleep(0.05)
