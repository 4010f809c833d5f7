"""Usage events that belong to no other service, and the system status. Never commits: the request's unit of work
does."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from operational.admin import events, status
from operational.admin.models import outbox
from operational.admin.schemas import SystemStatusRead
from operational.kit.auth import Principal
from operational.kit.policies import require_any_role

if TYPE_CHECKING:  # the engines stay out of the API's memory until a status is asked for
    from warehouse.port import Warehouse


async def record_page_view(session: AsyncSession, principal: Principal, page: str) -> None:
    """A signed-in person opened a dashboard page: counted in usage analytics as theirs, in their club."""
    await outbox.record(session, events.page_viewed(principal, page))


async def system_status(session: AsyncSession, principal: Principal, nc, warehouse: Warehouse) -> SystemStatusRead:
    """Backlogs, dead letters, snapshot age and component health. The dead letters' reasons may name another club's
    records, so only platform admins see them; club admins see the counts."""
    require_any_role(principal, "club_admin", "platform_admin", action="see the system status")
    stream = await status.stream_backlog(nc)
    if not principal.has_any_role("platform_admin"):
        stream["recent_dead_letters"] = []
    published = await asyncio.to_thread(warehouse.serving_published_at)
    return SystemStatusRead(
        components=await status.components(session, nc, published),
        snapshot=status.snapshot_freshness(published),
        outboxes=await status.outbox_backlog(session),
        stream=stream,
    )
