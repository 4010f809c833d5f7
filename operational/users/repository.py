"""All SQL of the users service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Date, Select, and_, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.pagination import DateRange, PageParams, dated, paginate
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


async def organizations_by_time_zone(session: AsyncSession) -> dict[str, list[uuid.UUID]]:
    found: dict[str, list[uuid.UUID]] = {}
    for org_id, time_zone in (await session.execute(select(Organization.id, Organization.time_zone))).all():
        found.setdefault(time_zone, []).append(org_id)
    return found


async def find_team(session: AsyncSession, team_id: uuid.UUID) -> Team | None:
    """The team with this id in any club (the caller checks the club)."""
    return await session.get(Team, team_id)


async def get_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> Team | None:
    return await session.scalar(select(Team).where(Team.id == team_id, Team.org_id == org_id))


async def get_team_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> Team | None:
    return await session.scalar(select(Team).where(Team.org_id == org_id, Team.name == name))


def _contains(column, text: str):
    """``column`` contains ``text``, case-insensitively, with LIKE's wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


async def list_teams(
    session: AsyncSession,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    only: Iterable[uuid.UUID] | None,
    search: str | None = None,
    season: str | None = None,
    age_group: str | None = None,
) -> tuple[list[Team], int]:
    query = select(Team).where(Team.org_id == org_id)
    if only is not None:
        query = query.where(Team.id.in_(list(only)))
    if search:
        query = query.where(_contains(Team.name, search))
    if season is not None:
        query = query.where(Team.season == season)
    if age_group is not None:
        query = query.where(func.lower(Team.age_group) == age_group.lower())
    return await paginate(session, query, page, order_by=(Team.name, Team.season, Team.id))


# --- people ---------------------------------------------------------------------------------------------------------
async def get_user_by_email(session: AsyncSession, org_id: uuid.UUID, email: str) -> User | None:
    """The club's account with this e-mail (each club has its own accounts)."""
    return await session.scalar(select(User).where(User.org_id == org_id, User.email == email.strip().lower()))


async def accounts_with_email(session: AsyncSession, email: str, *, club_slug: str | None = None) -> list[User]:
    """Every club's account with this e-mail (sign-in and password reset), or only the named club's."""
    query = select(User).where(User.email == email.strip().lower())
    if club_slug is not None:
        query = query.join(Organization, Organization.id == User.org_id).where(Organization.slug == club_slug)
    return list(await session.scalars(query.order_by(User.created_at, User.id)))


async def find_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The account with this id in any club (the caller checks the club)."""
    return await session.get(User, user_id)


async def get_user(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, User.org_id == org_id))


async def org_roles_of(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    return list(await session.scalar(select(User.org_roles).where(User.id == user_id)) or [])


async def get_user_for_update(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id).with_for_update())


async def list_users(
    session: AsyncSession,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    team_ids: Iterable[uuid.UUID] | None,
    team_id: uuid.UUID | None,
    role: str | None,
    search: str | None,
    search_email: bool,
    active: bool | None,
) -> tuple[list[User], int]:
    """The club's people (never erased ones) in the teams ``team_ids`` (None: all); ``active`` None: both."""
    query = select(User).where(User.org_id == org_id, User.anonymized_at.is_(None))
    if active is not None:
        query = query.where(User.is_active.is_(active))
    if team_ids is not None:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.team_id.in_(list(team_ids)))))
    if team_id is not None:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.team_id == team_id)))
    if role is not None:
        in_role = select(Membership.user_id).where(Membership.org_id == org_id, Membership.role == role)
        if team_id is not None:
            in_role = in_role.where(Membership.team_id == team_id)
        query = query.where(or_(User.org_roles.any(role), User.id.in_(in_role)))
    if search:
        query = query.where(
            or_(_contains(User.full_name, search), _contains(User.email, search))
            if search_email
            else _contains(User.full_name, search)
        )
    return await paginate(session, query, page, order_by=(User.full_name, User.id))


async def users_by_emails(session: AsyncSession, org_id: uuid.UUID, emails: Iterable[str]) -> dict[str, User]:
    """The club's accounts with these e-mails, by e-mail."""
    wanted = [e.strip().lower() for e in emails]
    rows = await session.scalars(select(User).where(User.org_id == org_id, User.email.in_(wanted)))
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
    """user id → their memberships."""
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


async def adult_links_without_consent(
    session: AsyncSession, org_ids: Iterable[uuid.UUID], born_on_or_before: date
) -> list[GuardianLink]:
    """Active links in these clubs whose athlete was born on or before the day and has not consented to keep them."""
    return list(
        await session.scalars(
            select(GuardianLink)
            .join(User, User.id == GuardianLink.minor_id)
            .where(
                GuardianLink.org_id.in_(list(org_ids)),
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


async def revoke_one_time_tokens(
    session: AsyncSession, user_id: uuid.UUID, now: datetime, purpose: str | None = None
) -> None:
    """Withdraw the person's unused links (of one purpose, or all)."""
    query = update(OneTimeToken).where(
        OneTimeToken.user_id == user_id, OneTimeToken.used_at.is_(None), OneTimeToken.revoked_at.is_(None)
    )
    if purpose is not None:
        query = query.where(OneTimeToken.purpose == purpose)
    await session.execute(query.values(revoked_at=now))


async def accept_totp_step(session: AsyncSession, user_id: uuid.UUID, step: int) -> bool:
    """Record ``step`` as the person's last accepted TOTP step, unless it is not newer than the last one.

    One conditional UPDATE: of two sign-ins racing with the same code, the second waits for the first and finds
    the step taken."""
    result = await session.execute(
        update(User)
        .where(User.id == user_id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return (result.rowcount or 0) == 1


# --- invitations ----------------------------------------------------------------------------------------------------
def _latest_invitation_ids(org_id: uuid.UUID) -> Select:
    return (
        select(OneTimeToken.id)
        .join(User, User.id == OneTimeToken.user_id)
        .where(User.org_id == org_id, OneTimeToken.purpose == "invitation")
        .distinct(OneTimeToken.user_id)
        .order_by(OneTimeToken.user_id, OneTimeToken.created_at.desc(), OneTimeToken.id.desc())
    )


def invitation_status_filter(status: str, now: datetime):
    used, withdrawn = OneTimeToken.used_at.is_not(None), OneTimeToken.revoked_at.is_not(None)
    if status == "accepted":
        return used
    if status == "pending":
        return and_(~used, ~withdrawn, OneTimeToken.expires_at > now)
    return and_(~used, or_(withdrawn, OneTimeToken.expires_at <= now))


async def latest_invitations(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, OneTimeToken]:
    """user id → their most recent invitation (people who never had one are left out)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = await session.scalars(
        select(OneTimeToken).where(OneTimeToken.id.in_(_latest_invitation_ids(org_id).where(User.id.in_(ids))))
    )
    return {row.user_id: row for row in rows}


async def list_invitations(
    session: AsyncSession,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    now: datetime,
    time_zone: str,
    status: str | None,
    team_id: uuid.UUID | None,
    search: str | None,
    dates: DateRange | None,
) -> tuple[list, int]:
    """(invitation, person) rows: each invited person's most recent invitation, newest first."""
    query = (
        select(OneTimeToken, User)
        .join(User, User.id == OneTimeToken.user_id)
        .where(OneTimeToken.id.in_(_latest_invitation_ids(org_id)), User.anonymized_at.is_(None))
    )
    if status is not None:
        query = query.where(invitation_status_filter(status, now))
    if team_id is not None:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.team_id == team_id)))
    if search:
        query = query.where(or_(_contains(User.full_name, search), _contains(User.email, search)))
    invited_on = cast(func.timezone(time_zone, OneTimeToken.created_at), Date)  # the club's calendar day
    query = dated(query, invited_on, dates)
    return await paginate(
        session, query, page, order_by=(OneTimeToken.created_at.desc(), OneTimeToken.id), scalars=False
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
