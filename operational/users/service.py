"""Clubs, teams, people and memberships. Never commits: the request's unit of work does, with the events recorded
here."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, HubError, NotFound
from operational.users import auth_service, events, policies, repository
from operational.users.auth_service import principal_for  # noqa: F401  (part of this module's interface)
from operational.users.config import UsersSettings
from operational.users.models import Membership, Organization, Team, User, outbox
from operational.users.schemas import (
    InvitationCreate,
    InvitationRead,
    MembershipCreate,
    OrganizationUpdate,
    ProfileUpdate,
    TeamCreate,
    TeamUpdate,
    UserAdminUpdate,
)


def _actor(principal: Principal | None) -> uuid.UUID | None:
    return principal.user_id if principal else None


def _apply(row, changes: dict) -> list[str]:
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, changes[name])
    return sorted(changed)


# --- organizations --------------------------------------------------------------------------------------------------
async def create_organization(
    session: AsyncSession, *, name: str, slug: str, time_zone: str = "UTC", language: str = "en", actor=None
) -> Organization:
    if await repository.get_organization_by_slug(session, slug):
        raise Conflict(f"An organization with slug '{slug}' already exists.", field="slug")
    org = await repository.add(
        session, Organization(id=uuid.uuid4(), name=name, slug=slug, time_zone=time_zone, language=language)
    )
    await outbox.record(session, events.organization_created(org, actor_id=_actor(actor)))
    return org


async def current_organization(session: AsyncSession, principal: Principal) -> Organization:
    org = await repository.get_organization(session, principal.org_id)
    if org is None:
        raise NotFound("Your club no longer exists.")
    return org


async def update_organization(session: AsyncSession, principal: Principal, body: OrganizationUpdate) -> Organization:
    policies.ensure_admin(principal, "change the club's settings")
    org = await current_organization(session, principal)
    _apply(org, body.model_dump(exclude_unset=True))
    return org


# --- teams ----------------------------------------------------------------------------------------------------------
async def create_team(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    name: str,
    season: str | None = None,
    age_group: str | None = None,
    level: str | None = None,
    actor: Principal | None = None,
) -> Team:
    if await repository.get_team_by_name(session, org_id, name) and season is None:
        raise Conflict(f"The club already has a team called '{name}'; give this one a season.", field="name")
    team = Team(id=uuid.uuid4(), org_id=org_id, name=name, season=season, age_group=age_group, level=level)
    try:
        async with session.begin_nested():
            await repository.add(session, team)
    except IntegrityError as exc:
        raise Conflict(f"The club already has a team '{name}' in season {season}.", field="name") from exc
    await outbox.record(session, events.team_created(team, actor_id=_actor(actor)))
    return team


async def create_team_as(session: AsyncSession, principal: Principal, body: TeamCreate) -> Team:
    policies.ensure_admin(principal, "create teams")
    return await create_team(session, principal.org_id, **body.model_dump(), actor=principal)


async def get_team(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> Team:
    team = policies.ensure_team_in_org(principal, await repository.get_team(session, principal.org_id, team_id))
    return policies.ensure_can_see_team(principal, team)


async def list_teams(session: AsyncSession, principal: Principal, *, limit: int, offset: int):
    return await repository.list_teams(
        session, principal.org_id, only=policies.visible_team_ids(principal), limit=limit, offset=offset
    )


async def update_team(session: AsyncSession, principal: Principal, team_id: uuid.UUID, body: TeamUpdate) -> Team:
    team = policies.ensure_team_in_org(principal, await repository.get_team(session, principal.org_id, team_id))
    policies.ensure_admin(principal, "change teams")
    changed = _apply(team, body.model_dump(exclude_unset=True))
    if changed:
        await outbox.record(session, events.team_updated(team, changed, actor_id=principal.user_id))
    return team


# --- people ---------------------------------------------------------------------------------------------------------
async def create_user(
    session: AsyncSession,
    settings: UsersSettings,
    org_id: uuid.UUID,
    *,
    email: str,
    full_name: str,
    password: str | None,
    org_roles: list[str] | None = None,
    date_of_birth: date | None = None,
    position: str | None = None,
    jersey_number: int | None = None,
    actor: Principal | None = None,
) -> User:
    email = email.strip().lower()
    if await repository.get_user_by_email(session, email):
        raise Conflict("A user with that e-mail already exists.", field="email")
    user = await repository.add(
        session,
        User(
            id=uuid.uuid4(),
            org_id=org_id,
            email=email,
            full_name=full_name,
            password_hash=await auth_service.hash_new_password(settings, password) if password else None,
            org_roles=list(org_roles or []),
            date_of_birth=date_of_birth,
            position=position,
            jersey_number=jersey_number,
            is_active=password is not None,  # an invited person becomes active when they accept
        ),
    )
    await outbox.record(session, events.user_created(user, actor_id=_actor(actor), invited=password is None))
    return user


async def add_membership(
    session: AsyncSession, user: User, team: Team, role: str, actor: Principal | None = None
) -> Membership:
    if user.org_id != team.org_id:
        raise NotFound("No such person.")
    if await repository.find_membership(session, user.id, team.id, role):
        raise Conflict(f"{user.full_name} is already a {role} in {team.name}.")
    membership = await repository.add(
        session, Membership(id=uuid.uuid4(), org_id=user.org_id, user_id=user.id, team_id=team.id, role=role)
    )
    await outbox.record(session, events.membership_added(membership, actor_id=_actor(actor)))
    return membership


async def me(session: AsyncSession, principal: Principal) -> tuple[User, list[Membership]]:
    user = await repository.get_user(session, principal.org_id, principal.user_id)
    if user is None or not user.is_active:
        raise NotFound("Your account no longer exists.")
    return user, await repository.memberships_of(session, user.id)


async def get_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> tuple[User, list[Membership]]:
    user = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, user_id))
    memberships = await repository.memberships_of(session, user.id)
    return policies.ensure_can_see_user(principal, user, memberships), memberships


async def list_users(session: AsyncSession, principal: Principal, *, team_id, role, search, include_inactive, page):
    if team_id is not None:
        await get_team(session, principal, team_id)
    users, total = await repository.list_users(
        session,
        principal.org_id,
        team_ids=policies.visible_team_ids(principal),
        team_id=team_id,
        role=role,
        search=search,
        include_inactive=include_inactive and policies.is_admin(principal),
        limit=page.limit,
        offset=page.offset,
    )
    return users, await repository.memberships_of_many(session, [u.id for u in users]), total


async def update_user(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, body: ProfileUpdate | UserAdminUpdate
) -> User:
    user = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, user_id))
    if isinstance(body, UserAdminUpdate):
        policies.ensure_admin(principal, "change a member's club roles or date of birth")
    else:
        policies.ensure_can_edit_profile(principal, user)
    changed = _apply(user, body.model_dump(exclude_unset=True))
    if changed:
        user.updated_at = datetime.now(UTC)
        await outbox.record(session, events.user_updated(user, changed, actor_id=principal.user_id))
    return user


async def deactivate_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID, reason: str | None) -> User:
    user = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, user_id))
    policies.ensure_admin(principal, "deactivate accounts")
    if user.id == principal.user_id:
        raise HubError("You cannot deactivate your own account; ask another club admin.")
    if not user.is_active:
        return user
    user.is_active, user.deactivated_at = False, datetime.now(UTC)
    await auth_service.revoke_all_sessions(session, user.id, reason="deactivated")
    await outbox.record(session, events.user_deactivated(user, reason, actor_id=principal.user_id))
    return user


async def invite(
    session: AsyncSession, settings: UsersSettings, principal: Principal, body: InvitationCreate
) -> InvitationRead:
    team = None
    if body.team_id is not None:
        team = policies.ensure_team_in_org(
            principal, await repository.get_team(session, principal.org_id, body.team_id)
        )
        if body.role is None:
            raise HubError("Say which role the person has in the team.", field="role")
    policies.ensure_can_invite(principal, team, body.role, list(body.org_roles))
    user = await create_user(
        session,
        settings,
        principal.org_id,
        email=body.email,
        full_name=body.full_name,
        password=None,
        org_roles=list(body.org_roles),
        date_of_birth=body.date_of_birth,
        actor=principal,
    )
    if team is not None:
        await add_membership(session, user, team, body.role, actor=principal)
    token, row = await auth_service.new_one_time_token(
        session, user, "invitation", timedelta(days=settings.invitation_days)
    )
    await outbox.record(session, events.invitation_created(user, row.id, row.expires_at.date(), principal.user_id))
    return InvitationRead(user_id=user.id, invitation_token=token, expires_at=row.expires_at)


# --- team rosters ---------------------------------------------------------------------------------------------------
async def add_member(session: AsyncSession, principal: Principal, team_id: uuid.UUID, body: MembershipCreate):
    team = policies.ensure_team_in_org(principal, await repository.get_team(session, principal.org_id, team_id))
    user = policies.ensure_user_in_org(principal, await repository.get_user(session, principal.org_id, body.user_id))
    policies.ensure_can_manage_members(principal, team, body.role)
    return await add_membership(session, user, team, body.role, actor=principal)


async def _membership(session, principal: Principal, team_id: uuid.UUID, membership_id: uuid.UUID) -> Membership:
    membership = await repository.get_membership(session, principal.org_id, team_id, membership_id)
    if membership is None:
        raise NotFound("No such membership.")
    return membership


async def remove_member(session: AsyncSession, principal: Principal, team_id: uuid.UUID, membership_id: uuid.UUID):
    team = policies.ensure_team_in_org(principal, await repository.get_team(session, principal.org_id, team_id))
    membership = await _membership(session, principal, team_id, membership_id)
    policies.ensure_can_manage_members(principal, team, membership.role)
    await repository.delete_row(session, membership)
    await outbox.record(session, events.membership_removed(membership, actor_id=principal.user_id))


async def change_member_role(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID, membership_id: uuid.UUID, role: str
) -> Membership:
    policies.ensure_team_in_org(principal, await repository.get_team(session, principal.org_id, team_id))
    membership = await _membership(session, principal, team_id, membership_id)
    policies.ensure_admin(principal, "change someone's role in a team")
    previous = membership.role
    if previous != role:
        if await repository.find_membership(session, membership.user_id, team_id, role):
            raise Conflict(f"This person already has the role {role} in this team.", field="role")
        membership.role = role
        await outbox.record(session, events.membership_role_changed(membership, previous, principal.user_id))
    return membership
