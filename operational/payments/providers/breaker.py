"""A circuit breaker: after ``failures`` calls in a row failed, callers are refused at once for ``cooldown`` seconds
instead of waiting on a provider that is down; then one call is let through to try again (half open)."""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitOpen(Exception):
    """The provider failed too often just now; ``retry_after`` seconds until it is tried again."""

    def __init__(self, retry_after: float):
        super().__init__(f"circuit open for {retry_after:.0f} s")
        self.retry_after = retry_after


class CircuitBreaker:
    def __init__(self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic):
        self.failures, self.cooldown, self.clock = failures, cooldown, clock
        self._in_a_row = 0
        self._open_until = 0.0

    def before_call(self) -> None:
        """Raises :class:`CircuitOpen` while the breaker is open."""
        now = self.clock()
        if self._in_a_row >= self.failures and now < self._open_until:
            raise CircuitOpen(self._open_until - now)

    def succeeded(self) -> None:
        self._in_a_row = 0

    def failed(self) -> None:
        self._in_a_row += 1
        if self._in_a_row >= self.failures:
            self._open_until = self.clock() + self.cooldown
