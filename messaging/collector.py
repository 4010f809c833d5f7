"""Python's cyclic garbage collector, held off while a consumer drains a backlog.

A fetched batch keeps thousands of young objects alive at once (messages, their headers, rows, futures): every 700
allocations the collector walks them, promotes them, and now and then walks the whole heap, which in a process that has
imported the pipeline's libraries is large. In the warehouse ingest that was about a third of its CPU (profiled with
the CPU clock: 97 → 63 µs an event with the collector off). Reference counting still frees everything without a cycle
at once; what has a cycle (a traceback, some of asyncio's futures) waits for the end of the drain, or for
:func:`collect_young`, which a drain with no bound on its batches (the outbox relay's) calls every few batches.

An API keeps its collector on while it serves, and so does the worker between drains; each puts what it built while
starting (every service's modules, routes, schemas and validators: about 250 thousand objects in the gateway) out of
the collector's reach with :func:`startup_heap_frozen`. Without that, each full collection under load walked all of
it, 0.3–0.7 s with the process stalled, and those pauses set the API read's p99 at half its saturation rate.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import AsyncIterator, Iterator

_lock = threading.Lock()
_holders = 0
_was_enabled = False
_frozen_holders = 0


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


@contextlib.asynccontextmanager
async def startup_heap_frozen() -> AsyncIterator[None]:
    """For the block, every object the collector tracks on entry sits in its permanent generation (:func:`gc.freeze`):
    later collections walk only what was made after, and reference counting still frees frozen objects. On exit they
    go back to the oldest generation (:func:`gc.unfreeze`), so a process that starts apps again and again (a test run)
    keeps nothing for good. Both calls take constant time. Entered by an API once it has started (the CPython
    documentation's use of ``gc.freeze``: objects that live as long as the process). Nested or overlapping blocks (two
    apps started in one process) each freeze what exists when they start, and only the last one to end unfreezes."""
    global _frozen_holders
    with _lock:
        gc.freeze()
        _frozen_holders += 1
    try:
        yield
    finally:
        with _lock:
            _frozen_holders -= 1
            if _frozen_holders == 0:
                gc.unfreeze()
