"""`make bench` starts the whole stack once for every benchmark that needs one, and stops it at the end."""

from __future__ import annotations

import contextlib

from bench import stack as bench_stack


def _counting_starts(monkeypatch) -> list[str]:
    events: list[str] = []

    @contextlib.contextmanager
    def started(ready_timeout, extra_env):
        # a stand-in for `hub up`: this is about who starts and stops it, and the real one takes minutes
        events.append("start")
        try:
            yield object()
        finally:
            events.append("stop")

    monkeypatch.setattr(bench_stack, "_started_stack", started)
    return events


def test_benchmarks_share_one_stack_while_it_is_kept_open_and_it_stops_at_the_end(monkeypatch):
    events = _counting_starts(monkeypatch)
    with bench_stack.stack_kept_open():
        with bench_stack.running_stack() as first:
            pass
        with bench_stack.running_stack() as second:
            assert events == ["start"]
        assert second is first
    assert events == ["start", "stop"]


def test_a_benchmark_run_alone_starts_and_stops_its_own_stack(monkeypatch):
    events = _counting_starts(monkeypatch)
    with bench_stack.running_stack() as first:
        pass
    with bench_stack.running_stack() as second:
        pass
    assert second is not first and events == ["start", "stop", "start", "stop"]


def test_a_stack_kept_open_is_stopped_when_a_benchmark_fails(monkeypatch):
    events = _counting_starts(monkeypatch)
    with contextlib.suppress(RuntimeError), bench_stack.stack_kept_open(), bench_stack.running_stack():
        raise RuntimeError("a benchmark broke")
    assert events == ["start", "stop"]
    with bench_stack.running_stack():  # nothing kept open any more
        pass
    assert events == ["start", "stop", "start", "stop"]
