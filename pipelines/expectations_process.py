"""The Great Expectations check in a child process that comes with the work and goes after a quiet spell.

Importing Great Expectations brings pandas, SciPy, Altair and marshmallow along (about 165 MiB), and Python never
frees a module: a pipeline that validated in its own process held all of it between passes, idle or not. Here the
validation (:func:`pipelines.expectations.validate_raw_events`, the same code as before) runs in one worker of a
``ProcessPoolExecutor`` started on first use, and the worker is shut down after ``idle_seconds`` without a check;
the next check starts a new one, which costs a few seconds of imports.

The worker is *spawned* (a fresh interpreter), not forked: the pipeline runs threads (the NATS connection's event
loop, Dagster's), and a fork would copy their locks in whatever state they were. It never outlives the pipeline: it
watches its parent's sentinel (a pipe that the kernel closes when the parent dies, however it dies) and leaves at
once; it is also in the pipeline's process group, which ``hub up`` signals as a whole.

This module is what the worker imports to start, so it imports nothing heavy itself.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import types
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from pipelines.expectations import ValidationSummary

log = logging.getLogger("pipelines.expectations")

DEFAULT_IDLE_SECONDS = 60.0


class ExpectationsProcessFailed(RuntimeError):
    """The worker process ended before it answered, twice in a row (killed, out of memory, a crash in native code).

    Not a verdict on the data: the check did not run."""


class ExpectationsProcess:
    """One worker process for Great Expectations, started on demand and ended after ``idle_seconds`` without work.

    Thread-safe; calls queue for the one worker."""

    def __init__(self, idle_seconds: float = DEFAULT_IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._in_flight = 0
        self._idle_timer: threading.Timer | None = None

    @property
    def running(self) -> bool:
        """Whether a worker process is there (busy, or idle and not yet ended)."""
        with self._lock:
            return self._executor is not None

    @property
    def worker_pid(self) -> int | None:
        """The worker process's pid, or None when there is none (not started yet, or ended after its idle time)."""
        with self._lock:
            executor = self._executor
        # the executor's table of its workers, pid → process (as in close(): no public accessor before Python 3.14)
        return next(iter(getattr(executor, "_processes", None) or {}), None)

    def start(self) -> Future:
        """Start the worker and build the suite in it now, without waiting (the pipeline's start-up does this while
        it parses the dbt project). The future's result is None."""
        from pipelines.expectations import warm_up

        _, future = self._submit(warm_up)
        return future

    def validate(self, frame: pa.Table) -> ValidationSummary:
        """Great Expectations' verdict on ``frame`` (columns event_id, type, occurred_at), computed in the worker.

        A worker that dies mid-check is replaced once and the check run again; if the second one dies too,
        :class:`ExpectationsProcessFailed`. An exception raised by the validation itself is raised here as it is."""
        from pipelines.expectations import validate_raw_events

        for attempt in (1, 2):
            executor, future = self._submit(validate_raw_events, frame)
            try:
                return future.result()
            except BrokenProcessPool as exc:
                self._discard(executor)
                if attempt == 2:
                    raise ExpectationsProcessFailed(
                        "the Great Expectations process ended before it answered, twice; the check did not run "
                        "(see the pipeline's log for the process's last output)"
                    ) from exc
                log.warning("the Great Expectations process ended before it answered; checking again in a new one")
        raise AssertionError("unreachable")

    def close(self) -> None:
        """End the worker now, busy or not (the pipeline's exit: a check in hand is not waited for).

        Without this, multiprocessing's exit handler would join the worker at the pipeline's exit, which waits for
        whatever it is doing (an import of Great Expectations takes seconds) and could overrun a stop's 5 s."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._cancel_idle_timer()
        if executor is None:
            return
        if hasattr(executor, "terminate_workers"):  # Python 3.14 and later
            executor.terminate_workers()
            return
        executor.shutdown(wait=False, cancel_futures=True)
        # what terminate_workers() does, through the executor's own table of its workers
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.terminate()

    # the worker's life ----------------------------------------------------------------------------------------

    def _submit(self, fn, *args) -> tuple[ProcessPoolExecutor, Future]:
        for attempt in (1, 2):
            with self._lock:
                self._cancel_idle_timer()
                if self._executor is None:
                    self._executor = ProcessPoolExecutor(
                        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_end_with_parent
                    )
                executor = self._executor
                self._in_flight += 1
            try:
                with _parent_main_hidden():  # the worker is started here, on the first submit
                    future = executor.submit(fn, *args)
            except BrokenProcessPool:
                # the worker died while it waited for work (killed from outside): a new one takes this
                self._finished(executor)
                self._discard(executor)
                if attempt == 2:
                    raise
                continue
            except BaseException:
                self._finished(executor)
                raise
            future.add_done_callback(lambda _, executor=executor: self._finished(executor))
            return executor, future
        raise AssertionError("unreachable")

    def _finished(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            self._in_flight -= 1
            if self._in_flight == 0 and self._executor is executor:
                self._idle_timer = threading.Timer(self.idle_seconds, self._end_if_idle, args=(executor,))
                self._idle_timer.daemon = True  # an armed timer never holds up the pipeline's exit
                self._idle_timer.name = "end the Great Expectations process when idle"
                self._idle_timer.start()

    def _end_if_idle(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._in_flight or self._executor is not executor:
                return  # work came in since the timer was armed, or this worker is gone already
            self._executor = self._idle_timer = None
        executor.shutdown(wait=True)
        log.info("Great Expectations process ended after %.0f s without work", self.idle_seconds)

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
                self._cancel_idle_timer()
        executor.shutdown(wait=False, cancel_futures=True)

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None


def _end_with_parent() -> None:
    """Runs first in the worker: leave as soon as the process that started it is gone."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # as in the pipeline's own process
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)  # no teardown: nobody is left to answer, and half-imported libraries need no cleanup

    threading.Thread(target=watch, name="end with the pipeline", daemon=True).start()


@contextlib.contextmanager
def _parent_main_hidden():
    """Start workers without the parent's ``__main__``.

    A spawned child first re-runs its parent's ``__main__`` (by path, or by module name), so that functions defined
    there unpickle. Everything the check sends lives in importable modules, and the parent's main may be anything:
    ``python -m pipelines.runner`` would load Dagster and dbt again in the child, and a process in which Streamlit ran
    a page (the test suite) would run that page in the child and die. For the moment a worker is started, the child
    is told of a ``__main__`` with neither a path nor a module name, which multiprocessing leaves alone."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@cache
def shared_process() -> ExpectationsProcess:
    """The process's one worker, ending after ``HUB_PIPELINE_EXPECTATIONS_IDLE_SECONDS`` without work."""
    from pipelines.config import PipelineSettings

    return ExpectationsProcess(idle_seconds=PipelineSettings().expectations_idle_seconds)
