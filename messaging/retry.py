"""Background connections retry until they work: stamina's exponential backoff with jitter, capped at ``wait_max``
seconds, with no limit on attempts or time. Cancellation (and ``stop``, when given) ends the trying."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import stamina

log = logging.getLogger(__name__)

T = TypeVar("T")


async def keep_trying(
    what: str, attempt: Callable[[], Awaitable[T]], *, stop: asyncio.Event | None = None, wait_max: float = 1.0
) -> T | None:
    """Run ``attempt`` until it returns (its result) or ``stop`` is set (None); log each failure as ``what``."""

    def retry(exc: BaseException) -> bool:
        if not isinstance(exc, Exception) or (stop is not None and stop.is_set()):
            return False
        log.warning(what, extra={"error": repr(exc)})
        return True

    try:
        async for trial in stamina.retry_context(
            on=retry, attempts=None, timeout=None, wait_initial=0.1, wait_max=wait_max, wait_jitter=0.1
        ):
            with trial:
                return await attempt()
    except Exception:
        if stop is not None and stop.is_set():
            return None
        raise
    return None
