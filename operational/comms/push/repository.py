"""SQL of push subscriptions, and the pending push and SMS notifications the delivery job takes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.models import Notification, Preference, PushSubscription


async def subscribe(session: AsyncSession, values: dict) -> PushSubscription:
    """Keeps the subscription; the same browser subscribing again (same person and endpoint) gets its new keys."""
    statement = pg_insert(PushSubscription).values(**values)
    statement = statement.on_conflict_do_update(
        constraint="uq_push_subscriptions_user_endpoint", set_={"p256dh": values["p256dh"], "auth": values["auth"]}
    ).returning(PushSubscription)
    row = (await session.execute(statement, execution_options={"populate_existing": True})).scalar_one()
    return row


async def get_subscription(session: AsyncSession, org_id: uuid.UUID, subscription_id: uuid.UUID):
    return await session.scalar(
        select(PushSubscription).where(PushSubscription.org_id == org_id, PushSubscription.id == subscription_id)
    )


async def subscriptions_of(session: AsyncSession, org_id, user_id) -> list[PushSubscription]:
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.org_id == org_id, PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )
    return list(rows)


async def subscribed(session: AsyncSession, org_id, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``user_ids`` with at least one browser subscribed."""
    ids = list(user_ids)
    if not ids:
        return set()
    rows = await session.scalars(
        select(PushSubscription.user_id).where(PushSubscription.org_id == org_id, PushSubscription.user_id.in_(ids))
    )
    return set(rows)


async def unsubscribe(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    await session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))


async def forget_subscriptions(session: AsyncSession, org_id, user_id) -> None:
    await session.execute(
        delete(PushSubscription).where(PushSubscription.org_id == org_id, PushSubscription.user_id == user_id)
    )


async def due(
    session: AsyncSession, channel: str, now: datetime, limit: int
) -> list[tuple[Notification, Preference | None]]:
    """Pending ``push`` or ``sms`` notifications whose time has come, with the recipient's preferences; locked so
    that two workers never send the same one (a row another worker holds is skipped)."""
    rows = await session.execute(
        select(Notification, Preference)
        .join(Preference, Preference.user_id == Notification.recipient_id, isouter=True)
        .where(Notification.channel == channel, Notification.status == "pending")
        .where((Notification.not_before.is_(None)) | (Notification.not_before <= now))
        .order_by(Notification.created_at, Notification.id)
        .limit(limit)
        .with_for_update(of=Notification, skip_locked=True)
    )
    return [(row[0], row[1]) for row in rows]
