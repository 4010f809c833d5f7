"""The access log of clinical data: every read and every change of a player's clinical record is appended here, in
the request's transaction (a request that fails leaves no row, because it showed nothing and changed nothing).

Postgres keeps the log append-only (UPDATE, DELETE and TRUNCATE raise) and chains it: each row's SHA-256 covers its
fields and the previous row's hash in the same club, so a row changed or removed behind the triggers' back (by a
superuser) breaks the chain at that row, which :func:`verify` reports.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.medical import policies, repository


async def record(
    session: AsyncSession,
    principal: Principal,
    action: str,
    record_type: str,
    records: Iterable[tuple[uuid.UUID, uuid.UUID | None]],
) -> None:
    """Log ``action`` (read, create, update, delete) by the caller on ``records``: (player id, record id) pairs."""
    entries = []
    for player_id, record_id in records:
        role, purpose = policies.purpose_of(principal, player_id)
        entries.append(
            {
                "org_id": principal.org_id,
                "player_id": player_id,
                "actor_id": principal.user_id,
                "actor_role": role,
                "action": action,
                "record_type": record_type,
                "record_id": record_id,
                "purpose": purpose,
            }
        )
    await repository.append_access(session, entries)


async def record_one(
    session: AsyncSession, principal: Principal, action: str, record_type: str, player_id, record_id
) -> None:
    await record(session, principal, action, record_type, [(player_id, record_id)])


async def verify(session: AsyncSession, org_id: uuid.UUID) -> int | None:
    """The id of the first row of the club's log that was tampered with, or None when the chain is intact."""
    return await repository.first_broken_access_entry(session, org_id)
