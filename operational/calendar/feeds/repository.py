"""SQL of calendar feed links."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar.models import FeedFetchDay, FeedToken


async def feed_by_hash(session: AsyncSession, token_sha256: str) -> FeedToken | None:
    return await session.scalar(
        select(FeedToken).where(FeedToken.token_sha256 == token_sha256, FeedToken.revoked_at.is_(None))
    )


async def get_live_feed(session: AsyncSession, feed_id: uuid.UUID) -> FeedToken | None:
    return await session.scalar(select(FeedToken).where(FeedToken.id == feed_id, FeedToken.revoked_at.is_(None)))


async def first_fetch_of_the_day(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, day: date) -> bool:
    """Records that ``user_id``'s feed was fetched on ``day``; True only for the first fetch that day (concurrent
    fetches race on the primary key, and only one of them inserts)."""
    inserted = await session.scalar(
        insert(FeedFetchDay)
        .values(user_id=user_id, day=day, org_id=org_id)
        .on_conflict_do_nothing(index_elements=["user_id", "day"])
        .returning(FeedFetchDay.user_id)
    )
    return inserted is not None
