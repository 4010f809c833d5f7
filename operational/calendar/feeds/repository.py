"""SQL of calendar feed links."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.calendar.models import FeedToken


async def feed_by_hash(session: AsyncSession, token_sha256: str) -> FeedToken | None:
    return await session.scalar(
        select(FeedToken).where(FeedToken.token_sha256 == token_sha256, FeedToken.revoked_at.is_(None))
    )


async def get_live_feed(session: AsyncSession, feed_id: uuid.UUID) -> FeedToken | None:
    return await session.scalar(select(FeedToken).where(FeedToken.id == feed_id, FeedToken.revoked_at.is_(None)))
