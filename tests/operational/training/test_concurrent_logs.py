"""Two identical RPE logs sent together: the player-day lock makes the second wait for the first's transaction, then
see its log and refuse the double submit; a second session said to be one is logged once the first commits."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from operational.kit.db import create_engine, session_factory
from operational.kit.errors import Conflict
from operational.training import service
from operational.training.models import SessionRpeLog
from operational.training.schemas import RpeLogCreate

YESTERDAY = date.today() - timedelta(days=1)

_WAITING_FOR_ADVISORY_LOCK = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")


async def _wait_until_one_waits_for_the_lock(engine, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with engine.connect() as conn:
            if await conn.scalar(_WAITING_FOR_ADVISORY_LOCK):
                return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no request waited for the player-day lock within {timeout}s")
        await asyncio.sleep(0.02)


async def _log_in_own_transaction(sessions, principal, body) -> SessionRpeLog:
    async with sessions() as session, session.begin():
        return await service.log_session_rpe(session, principal, body)


def _two_together(settings, principal, second: RpeLogCreate) -> tuple[asyncio.Task, int]:
    """Log once and, while that transaction is open, start ``second``; commit the first once the second waits for the
    lock. The second's outcome (a task, done) and the player's logs that day."""

    async def scenario():
        engine = create_engine(settings.database_url, pool_size=3)
        sessions = session_factory(engine)
        first = RpeLogCreate(session_date=YESTERDAY, rpe=6, duration_minutes=75)
        try:
            async with sessions() as session, session.begin():
                await service.log_session_rpe(session, principal, first)
                later = asyncio.create_task(_log_in_own_transaction(sessions, principal, second))
                await _wait_until_one_waits_for_the_lock(engine, timeout=10)
            await asyncio.wait_for(asyncio.wait([later]), timeout=10)
            async with engine.connect() as conn:
                logs = await conn.scalar(
                    select(func.count()).where(
                        SessionRpeLog.player_id == principal.user_id, SessionRpeLog.session_date == YESTERDAY
                    )
                )
            return later, logs
        finally:
            await engine.dispose()

    return asyncio.run(scenario())


def test_an_identical_log_sent_at_the_same_time_waits_for_the_first_and_is_refused(settings, club):
    principal = club["player"].principal
    same = RpeLogCreate(session_date=YESTERDAY, rpe=6, duration_minutes=75)

    second, logs = _two_together(settings, principal, same)

    with pytest.raises(Conflict):
        second.result()
    assert logs == 1


def test_a_second_session_sent_at_the_same_time_is_logged_when_the_player_says_so(settings, club):
    principal = club["player"].principal
    again = RpeLogCreate(session_date=YESTERDAY, rpe=6, duration_minutes=75, allow_duplicate=True)

    second, logs = _two_together(settings, principal, again)

    assert second.result().session_rpe_load_au == 450
    assert logs == 2
