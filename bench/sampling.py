"""A sampling profile on the process's CPU clock: where the time goes, without cProfile's cost per call.

cProfile charges every Python call a fixed overhead, so code made of many small calls (dependency solving, Pydantic
glue) looks heavier than it is next to C code (psycopg's parsing, JSON). A ``SIGPROF`` timer instead interrupts the
process every ``interval`` of CPU time and records the Python stack it was in; a function's share of samples is its
share of the CPU, inclusive of what it calls.

    with Sampler() as sampler:
        ...
    sampler.report(top=40)  # inclusive share per function
"""

from __future__ import annotations

import collections
import signal
import sys


class Sampler:
    def __init__(self, interval: float = 0.0005):
        self.interval = interval
        self.samples = 0
        self.inclusive: collections.Counter[str] = collections.Counter()
        self.own: collections.Counter[str] = collections.Counter()

    def _sample(self, _signum, frame) -> None:
        self.samples += 1
        seen = set()
        if frame is not None:
            self.own[_name(frame)] += 1
        while frame is not None:
            name = _name(frame)
            if name not in seen:  # recursion counts once
                seen.add(name)
                self.inclusive[name] += 1
            frame = frame.f_back

    def __enter__(self) -> Sampler:
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *_exc) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)

    def report(self, top: int = 80, out=sys.stderr) -> None:
        total = max(1, self.samples)
        print(f"{self.samples} samples every {self.interval * 1000:.1f} ms of CPU", file=out)
        for title, counts in (("inclusive", self.inclusive), ("own", self.own)):
            print(f"--- {title}", file=out)
            for name, count in counts.most_common(top):
                print(f"{count / total:6.1%}  {name}", file=out)


def _name(frame) -> str:
    code = frame.f_code
    path = code.co_filename
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = path.rsplit("/", 3)[-2] + "/" + path.rsplit("/", 1)[-1] if path.count("/") >= 2 else path
    return f"{path}:{code.co_firstlineno}({code.co_name})"
