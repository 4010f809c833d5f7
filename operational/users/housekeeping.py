"""Work the users service does on a schedule rather than per request (the worker runs it: see users/app.py)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from operational.kit.db import session_factory
from operational.users import guardians

log = logging.getLogger(__name__)


async def run_once(engine: AsyncEngine) -> int:
    """End the guardian links of athletes who turned 18 without consenting; return how many ended.

    Access already stops on the birthday (tokens are built from active links of minors only); this records the end
    and tells the other services. The birthday is each club's: it starts at midnight in the club's time zone.
    """
    async with session_factory(engine)() as session, session.begin():
        ended = await guardians.end_links_of_adults(session)
    if ended:
        log.info("guardian links ended: athletes turned 18", extra={"ended": ended})
    return ended
