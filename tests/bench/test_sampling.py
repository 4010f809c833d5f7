"""The sampling profile (bench/sampling.py) finds where the CPU went."""

from __future__ import annotations

import io
import time

from bench.sampling import Sampler


def _burn(seconds: float) -> int:
    total, until = 0, time.process_time() + seconds
    while time.process_time() < until:
        total += sum(range(200))
    return total


def _idle() -> None:
    time.sleep(0.05)  # waiting, not CPU: never sampled on the CPU clock


def test_the_function_that_used_the_cpu_gets_the_samples():
    with Sampler() as sampler:
        _idle()
        _burn(0.3)
    assert sampler.samples >= 10  # at least one a tick of CPU time
    burn = next(count for name, count in sampler.inclusive.items() if name.endswith("(_burn)"))
    assert burn / sampler.samples > 0.8
    assert not any(name.endswith("(_idle)") for name in sampler.inclusive)
    report = io.StringIO()
    sampler.report(top=5, out=report)
    assert "(_burn)" in report.getvalue()


def test_the_timer_stops_with_the_block():
    with Sampler() as sampler:
        _burn(0.1)
    taken = sampler.samples
    _burn(0.1)
    assert sampler.samples == taken
