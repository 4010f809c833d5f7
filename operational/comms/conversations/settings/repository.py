"""All SQL of the conversation settings: the club's and each person's."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.conversations.models import ClubConversationSettings, PersonConversationSettings


async def club_settings(session: AsyncSession, org_id: uuid.UUID) -> ClubConversationSettings | None:
    return await session.get(ClubConversationSettings, org_id)


async def save_club_settings(session: AsyncSession, values: dict) -> None:
    statement = pg_insert(ClubConversationSettings).values(**values)
    changed = {name: statement.excluded[name] for name in values if name != "org_id"}
    await session.execute(statement.on_conflict_do_update(index_elements=["org_id"], set_=changed))


async def receipts_off(session: AsyncSession, org_id: uuid.UUID, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``user_ids`` who turned their read receipts off."""
    rows = await session.scalars(
        select(PersonConversationSettings.user_id).where(
            PersonConversationSettings.org_id == org_id,
            PersonConversationSettings.user_id.in_(list(user_ids)),
            PersonConversationSettings.read_receipts.is_(False),
        )
    )
    return set(rows)


async def save_person_settings(session: AsyncSession, values: dict) -> None:
    statement = pg_insert(PersonConversationSettings).values(**values)
    changed = {name: statement.excluded[name] for name in values if name != "user_id"}
    await session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=changed))
