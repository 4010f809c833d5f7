"""All SQL of clubs onboarding and configuration."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import PageParams, paginate
from operational.users.models import ClubSettingChange, Organization, User


async def list_clubs(
    session: AsyncSession,
    page: PageParams,
    *,
    only: uuid.UUID | None,
    status: str | None,
    search: str | None,
) -> tuple[list[Organization], int]:
    query = select(Organization)
    if only is not None:
        query = query.where(Organization.id == only)
    if status == "suspended":
        query = query.where(Organization.suspended_at.is_not(None))
    elif status == "active":
        query = query.where(Organization.suspended_at.is_(None))
    if search:
        query = query.where(func.lower(Organization.name).contains(search.lower(), autoescape=True))
    return await paginate(session, query, page, order_by=(Organization.name, Organization.id))


async def lock_club(session: AsyncSession, club_id: uuid.UUID) -> Organization | None:
    """The club's row, locked until the transaction ends (two admins suspending at once do it once)."""
    return await session.scalar(select(Organization).where(Organization.id == club_id).with_for_update())


async def people_who_can_sign_in(session: AsyncSession, org_id: uuid.UUID) -> list[User]:
    return list(
        await session.scalars(
            select(User).where(User.org_id == org_id, User.is_active, User.password_hash.is_not(None))
        )
    )


async def list_setting_changes(
    session: AsyncSession, org_id: uuid.UUID, page: PageParams, *, setting: str | None
) -> tuple[list[ClubSettingChange], int]:
    query = select(ClubSettingChange).where(ClubSettingChange.org_id == org_id)
    if setting is not None:
        query = query.where(ClubSettingChange.setting == setting)
    order = (ClubSettingChange.changed_at.desc(), ClubSettingChange.id.desc())
    return await paginate(session, query, page, order_by=order)
