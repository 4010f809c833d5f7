"""The inbox every idempotent consumer shares: which consumer has handled which event.

Delivery is at least once; a consumer records the event id here in the same transaction as the change the event
causes, so a redelivered (or replayed) event changes nothing. One table for every consumer, in its own schema.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Column, DateTime, MetaData, Table, Text, func
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

SCHEMA = "hub_messaging"

metadata = MetaData(schema=SCHEMA)

inbox = Table(
    "inbox",
    metadata,
    Column("consumer", Text, primary_key=True),
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


async def first_delivery(session: AsyncSession, consumer: str, event_id: uuid.UUID) -> bool:
    """Record that ``consumer`` handles ``event_id``; False when it already had (a redelivery)."""
    inserted = await session.execute(
        insert(inbox).values(consumer=consumer, event_id=event_id).on_conflict_do_nothing().returning(inbox.c.event_id)
    )
    return inserted.first() is not None
