"""All SQL of the users service."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from operational.users.models import Membership, Organization, Team, User


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def get_user(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, User.org_id == org_id))


async def get_organization_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.slug == slug))


async def get_team_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> Team | None:
    return await session.scalar(select(Team).where(Team.org_id == org_id, Team.name == name))


async def memberships_of(session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    return list(await session.scalars(select(Membership).where(Membership.user_id == user_id)))


async def count_organizations(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Organization)) or 0
