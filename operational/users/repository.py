"""All SQL of the users service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from operational.users.models import (
    GuardianLink,
    LoginFailure,
    Membership,
    OneTimeToken,
    Organization,
    RefreshToken,
    Team,
    User,
)


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


# --- organizations and teams ----------------------------------------------------------------------------------------
async def get_organization(session: AsyncSession, org_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, org_id)


async def get_organization_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.slug == slug))


async def count_organizations(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Organization)) or 0


async def get_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> Team | None:
    return await session.scalar(select(Team).where(Team.id == team_id, Team.org_id == org_id))


async def get_team_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> Team | None:
    return await session.scalar(select(Team).where(Team.org_id == org_id, Team.name == name))


async def list_teams(
    session: AsyncSession, org_id: uuid.UUID, *, only: Iterable[uuid.UUID] | None, limit: int, offset: int
) -> tuple[list[Team], int]:
    query = select(Team).where(Team.org_id == org_id)
    if only is not None:
        query = query.where(Team.id.in_(list(only)))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.order_by(Team.name, Team.id).limit(limit).offset(offset))
    return list(rows), total


# --- people ---------------------------------------------------------------------------------------------------------
async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def get_user(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, User.org_id == org_id))


async def get_user_for_update(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id).with_for_update())


async def list_users(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    team_ids: Iterable[uuid.UUID] | None,
    team_id: uuid.UUID | None,
    role: str | None,
    search: str | None,
    include_inactive: bool,
    limit: int,
    offset: int,
) -> tuple[list[User], int]:
    query = select(User).where(User.org_id == org_id, User.anonymized_at.is_(None))
    if not include_inactive:
        query = query.where(User.is_active.is_(True))
    member_filter = select(Membership.user_id).where(Membership.org_id == org_id)
    if team_ids is not None:
        member_filter = member_filter.where(Membership.team_id.in_(list(team_ids)))
    if team_id is not None:
        member_filter = member_filter.where(Membership.team_id == team_id)
    if role is not None:
        member_filter = member_filter.where(Membership.role == role)
    if team_ids is not None or team_id is not None or role is not None:
        query = query.where(User.id.in_(member_filter))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(pattern), User.email.like(pattern)))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.order_by(User.full_name, User.id).limit(limit).offset(offset))
    return list(rows), total


async def users_by_emails(session: AsyncSession, emails: Iterable[str]) -> dict[str, User]:
    rows = await session.scalars(select(User).where(User.email.in_([e.lower() for e in emails])))
    return {user.email: user for user in rows}


async def all_members(session: AsyncSession, org_id: uuid.UUID) -> list[tuple[User, Membership | None, Team | None]]:
    query = (
        select(User, Membership, Team)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Team, Team.id == Membership.team_id)
        .where(User.org_id == org_id, User.anonymized_at.is_(None))
        .order_by(User.full_name, User.id, Team.name)
    )
    return [tuple(row) for row in (await session.execute(query)).all()]


# --- memberships ----------------------------------------------------------------------------------------------------
async def memberships_of(session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    return list(await session.scalars(select(Membership).where(Membership.user_id == user_id)))


async def memberships_of_many(session: AsyncSession, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list]:
    found: dict[uuid.UUID, list[Membership]] = {}
    for membership in await session.scalars(select(Membership).where(Membership.user_id.in_(list(user_ids)))):
        found.setdefault(membership.user_id, []).append(membership)
    return found


async def get_membership(
    session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership | None:
    return await session.scalar(
        select(Membership).where(
            Membership.id == membership_id, Membership.team_id == team_id, Membership.org_id == org_id
        )
    )


async def find_membership(session: AsyncSession, user_id: uuid.UUID, team_id: uuid.UUID, role: str):
    return await session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.team_id == team_id, Membership.role == role)
    )


async def delete_row(session: AsyncSession, row) -> None:
    await session.delete(row)
    await session.flush()


# --- guardians ------------------------------------------------------------------------------------------------------
async def active_guardian_links(
    session: AsyncSession, *, guardian_id: uuid.UUID | None = None, minor_id: uuid.UUID | None = None
) -> list[GuardianLink]:
    query = select(GuardianLink).where(GuardianLink.ended_at.is_(None))
    if guardian_id is not None:
        query = query.where(GuardianLink.guardian_id == guardian_id)
    if minor_id is not None:
        query = query.where(GuardianLink.minor_id == minor_id)
    return list(await session.scalars(query.order_by(GuardianLink.created_at)))


async def get_guardian_link(session: AsyncSession, org_id: uuid.UUID, link_id: uuid.UUID) -> GuardianLink | None:
    return await session.scalar(select(GuardianLink).where(GuardianLink.id == link_id, GuardianLink.org_id == org_id))


async def adult_links_without_consent(session: AsyncSession, born_on_or_before: date) -> list[GuardianLink]:
    """Active links whose athlete is an adult now and has not consented to keep the link."""
    return list(
        await session.scalars(
            select(GuardianLink)
            .join(User, User.id == GuardianLink.minor_id)
            .where(
                GuardianLink.ended_at.is_(None),
                GuardianLink.athlete_consented_at.is_(None),
                User.date_of_birth <= born_on_or_before,
            )
        )
    )


# --- tokens ---------------------------------------------------------------------------------------------------------
async def get_refresh_token_by_hash(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    return await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update())


async def revoke_refresh_tokens(
    session: AsyncSession, *, reason: str, now: datetime, family_id=None, user_id=None
) -> int:
    query = update(RefreshToken).where(RefreshToken.revoked_at.is_(None))
    if family_id is not None:
        query = query.where(RefreshToken.family_id == family_id)
    if user_id is not None:
        query = query.where(RefreshToken.user_id == user_id)
    result = await session.execute(query.values(revoked_at=now, revoke_reason=reason))
    return result.rowcount or 0


async def get_one_time_token(session: AsyncSession, token_hash: str, purpose: str) -> OneTimeToken | None:
    return await session.scalar(
        select(OneTimeToken)
        .where(OneTimeToken.token_hash == token_hash, OneTimeToken.purpose == purpose)
        .with_for_update()
    )


async def expire_one_time_tokens(session: AsyncSession, user_id: uuid.UUID, purpose: str, now: datetime) -> None:
    await session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.user_id == user_id, OneTimeToken.purpose == purpose, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
    )


# --- throttling -----------------------------------------------------------------------------------------------------
async def failures_since(session: AsyncSession, keys: list[str], since: datetime) -> dict[str, tuple[int, datetime]]:
    """key → (failures since ``since``, oldest of them)."""
    rows = await session.execute(
        select(LoginFailure.throttle_key, func.count(), func.min(LoginFailure.failed_at))
        .where(LoginFailure.throttle_key.in_(keys), LoginFailure.failed_at >= since)
        .group_by(LoginFailure.throttle_key)
    )
    return {key: (count, oldest) for key, count, oldest in rows.all()}


async def record_failures(session: AsyncSession, keys: list[str], now: datetime) -> None:
    session.add_all([LoginFailure(throttle_key=key, failed_at=now) for key in keys])
    await session.flush()


async def forget_failures(session: AsyncSession, keys: list[str], before: datetime) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.throttle_key.in_(keys)))
    await session.execute(delete(LoginFailure).where(LoginFailure.failed_at < before))
