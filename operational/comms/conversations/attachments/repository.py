"""All SQL of attachments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.conversations.models import Attachment
from operational.comms.models import Message


async def get(session: AsyncSession, org_id: uuid.UUID, attachment_id: uuid.UUID) -> Attachment | None:
    return await session.scalar(select(Attachment).where(Attachment.org_id == org_id, Attachment.id == attachment_id))


async def message_deleted(session: AsyncSession, message_id: uuid.UUID) -> bool:
    return await session.scalar(select(Message.deleted_at.is_not(None)).where(Message.id == message_id)) or False


async def by_ids(session: AsyncSession, org_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Attachment]:
    rows = await session.scalars(select(Attachment).where(Attachment.org_id == org_id, Attachment.id.in_(list(ids))))
    return {row.id: row for row in rows}


async def attach(session: AsyncSession, ids: list[uuid.UUID], message_id: uuid.UUID) -> None:
    await session.execute(update(Attachment).where(Attachment.id.in_(ids)).values(message_id=message_id))


async def of_messages(session: AsyncSession, message_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Attachment]]:
    ids = list(message_ids)
    if not ids:
        return {}
    result: dict[uuid.UUID, list[Attachment]] = {}
    rows = await session.scalars(
        select(Attachment).where(Attachment.message_id.in_(ids)).order_by(Attachment.uploaded_at, Attachment.id)
    )
    for row in rows:
        result.setdefault(row.message_id, []).append(row)
    return result


async def delete_uploads_of(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> list[str]:
    """Remove every file the person uploaded; their storage keys."""
    keys = await session.scalars(
        delete(Attachment)
        .where(Attachment.org_id == org_id, Attachment.uploaded_by == user_id)
        .returning(Attachment.storage_key)
    )
    return list(keys)
