"""Python's cyclic garbage collector, held off while a consumer drains a backlog.

A fetched batch keeps thousands of young objects alive at once (messages, their headers, rows, futures): every 700
allocations the collector walks them, promotes them, and now and then walks the whole heap, which in a process that has
imported the pipeline's libraries is large. In the warehouse ingest that was about a third of its CPU (profiled with
the CPU clock: 97 → 63 µs an event with the collector off). Reference counting still frees everything without a cycle
at once; what has a cycle (a traceback, some of asyncio's futures) waits for the end of the drain, or for
:func:`collect_young`, which a drain with no bound on its batches (the outbox relay's) calls every few batches.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; nested or concurrent blocks re-enable it when the last one ends,
    and only if it was enabled before the first."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


def collect_young() -> None:
    """Free the cycles among the objects made since the last collection (generations 0 and 1: not the whole heap)."""
    gc.collect(1)
