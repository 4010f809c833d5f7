"""Usage events that belong to no other service. Never commits: the request's unit of work does."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from operational.admin import events
from operational.admin.models import outbox
from operational.kit.auth import Principal


async def record_page_view(session: AsyncSession, principal: Principal, page: str) -> None:
    """A signed-in person opened a dashboard page: counted in usage analytics as theirs, in their club."""
    await outbox.record(session, events.page_viewed(principal, page))
