"""A guardian acts for a minor until the athlete turns 18 — on the club's calendar, not on UTC's."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from operational.kit.db import session_factory, sqlalchemy_url
from operational.users import guardians, repository, sessions
from operational.users.models import User
from tests.factories import make_club

TURNS_18_ON_15_MARCH_2026 = "2008-03-15"


async def _rolled_back(settings, work):
    """Run ``work`` in a transaction that is rolled back (it judges a moment other than now)."""
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    try:
        async with session_factory(engine)() as session:
            try:
                return await work(session)
            finally:
                await session.rollback()
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("time_zone", "instant", "adult"),
    [
        ("Europe/Stockholm", "2026-03-14T23:30:00+00:00", True),  # 00:30 on the 15th in Stockholm
        ("Europe/Stockholm", "2026-03-14T22:59:00+00:00", False),  # 23:59 on the 14th in Stockholm
        ("UTC", "2026-03-14T23:30:00+00:00", False),
        ("America/Los_Angeles", "2026-03-15T06:30:00+00:00", False),  # 23:30 on the 14th (PDT)
        ("America/Los_Angeles", "2026-03-15T07:30:00+00:00", True),
    ],
)
def test_the_eighteenth_birthday_starts_at_the_clubs_midnight(gateway, settings, time_zone, instant, adult):
    club = make_club(settings)
    admin = club["admin"].headers
    assert gateway.patch("/api/v1/orgs/current", json={"time_zone": time_zone}, headers=admin).status_code == 200
    athlete = f"/api/v1/users/{club['player'].id}"
    assert gateway.patch(athlete, json={"date_of_birth": TURNS_18_ON_15_MARCH_2026}, headers=admin).status_code == 200
    now = datetime.fromisoformat(instant)

    async def judge(session):
        parent = await session.get(User, club["parent"].id)
        acts_for = club["player"].id in (await sessions.principal_for(session, parent, now=now)).guardian_of
        await guardians.end_links_of_adults(session, now=now)
        still_linked = bool(await repository.active_guardian_links(session, minor_id=club["player"].id))
        return acts_for, still_linked

    acts_for, still_linked = asyncio.run(_rolled_back(settings, judge))
    assert acts_for is (not adult), "the token a parent gets"
    assert still_linked is (not adult), "housekeeping ends the link"
