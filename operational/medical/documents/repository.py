"""All SQL of medical documents and the players' document keys."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.medical.models import Document, DocumentKey


async def get_document(session: AsyncSession, org_id: uuid.UUID, document_id: uuid.UUID) -> Document | None:
    return await session.scalar(select(Document).where(Document.org_id == org_id, Document.id == document_id))


async def list_documents(
    session: AsyncSession, org_id: uuid.UUID, problem_id: uuid.UUID, page: PageParams
) -> tuple[list[Document], int]:
    query = select(Document).where(Document.org_id == org_id, Document.problem_id == problem_id)
    return await paginate(session, query, page, order_by=(Document.uploaded_at.desc(), Document.id))


async def wrapped_key(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> bytes | None:
    return await session.scalar(
        select(DocumentKey.wrapped_key).where(DocumentKey.org_id == org_id, DocumentKey.player_id == player_id)
    )


async def keep_key(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID, wrapped: bytes) -> bytes:
    """Store ``wrapped`` as the player's key unless one exists (two first uploads at once agree on one); return the
    key in force."""
    await session.execute(
        pg_insert(DocumentKey).values(player_id=player_id, org_id=org_id, wrapped_key=wrapped).on_conflict_do_nothing()
    )
    return await wrapped_key(session, org_id, player_id)


async def storage_keys_of(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(Document.storage_key).where(Document.org_id == org_id, Document.player_id == player_id)
    )
    return list(rows)


async def shred(session: AsyncSession, org_id: uuid.UUID, player_id: uuid.UUID) -> None:
    """Erasure: the player's key goes, and with it every copy of their documents' plaintext."""
    for model in (Document, DocumentKey):
        await session.execute(delete(model).where(model.org_id == org_id, model.player_id == player_id))
