"""Work the users service does on a schedule rather than per request."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from operational.kit.db import session_factory
from operational.users import guardians

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600


async def run_once(engine: AsyncEngine) -> int:
    """End the guardian links of athletes who turned 18 without consenting; return how many ended.

    Access already stops on the birthday (tokens are built from active links of minors only); this records the end
    and tells the other services. The birthday is each club's: it starts at midnight in the club's time zone.
    """
    async with session_factory(engine)() as session, session.begin():
        return await guardians.end_links_of_adults(session)


async def run_periodically(engine: AsyncEngine, stop: asyncio.Event, interval: float = INTERVAL_SECONDS) -> None:
    while not stop.is_set():
        try:
            if ended := await run_once(engine):
                log.info("guardian links ended: athletes turned 18", extra={"ended": ended})
        except Exception as exc:
            log.warning("users housekeeping failed; will retry", extra={"error": repr(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
