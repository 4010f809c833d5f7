"""Users business rules. Never commits: the caller's unit of work does, with the events recorded here."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal, issue_access_token
from operational.kit.errors import Conflict, NotFound, Unauthorized
from operational.users import events, passwords, repository
from operational.users.config import UsersSettings
from operational.users.models import Membership, Organization, Team, User, outbox
from operational.users.schemas import TokenPair


def password_hasher(settings: UsersSettings):
    return passwords.hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


async def create_organization(
    session: AsyncSession, *, name: str, slug: str, time_zone: str = "UTC", language: str = "en"
) -> Organization:
    if await repository.get_organization_by_slug(session, slug):
        raise Conflict(f"An organization with slug '{slug}' already exists.", field="slug")
    org = await repository.add(
        session, Organization(id=uuid.uuid4(), name=name, slug=slug, time_zone=time_zone, language=language)
    )
    await outbox.record(session, events.organization_created(org, actor_id=None))
    return org


async def create_team(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    name: str,
    season: str | None = None,
    age_group: str | None = None,
) -> Team:
    team = await repository.add(
        session, Team(id=uuid.uuid4(), org_id=org_id, name=name, season=season, age_group=age_group)
    )
    await outbox.record(session, events.team_created(team, actor_id=None))
    return team


async def create_user(
    session: AsyncSession,
    settings: UsersSettings,
    org_id: uuid.UUID,
    *,
    email: str,
    full_name: str,
    password: str,
    org_roles: list[str] | None = None,
) -> User:
    email = email.strip().lower()
    if await repository.get_user_by_email(session, email):
        raise Conflict("A user with that e-mail already exists.", field="email")
    password_hash = await asyncio.to_thread(passwords.hash_password, password_hasher(settings), password)
    user = await repository.add(
        session,
        User(
            id=uuid.uuid4(),
            org_id=org_id,
            email=email,
            full_name=full_name,
            password_hash=password_hash,
            org_roles=list(org_roles or []),
        ),
    )
    await outbox.record(session, events.user_created(user, actor_id=None))
    return user


async def add_membership(session: AsyncSession, user: User, team: Team, role: str) -> Membership:
    membership = await repository.add(
        session, Membership(id=uuid.uuid4(), org_id=user.org_id, user_id=user.id, team_id=team.id, role=role)
    )
    await outbox.record(session, events.membership_added(membership, actor_id=None))
    return membership


async def principal_for(session: AsyncSession, user: User) -> Principal:
    memberships = await repository.memberships_of(session, user.id)
    return Principal(
        user_id=user.id,
        org_id=user.org_id,
        roles=frozenset(user.org_roles) | {m.role for m in memberships},
        team_ids=frozenset(m.team_id for m in memberships),
        lang=user.language,
    )


async def login(session: AsyncSession, settings: UsersSettings, email: str, password: str) -> TokenPair:
    ph = password_hasher(settings)
    user = await repository.get_user_by_email(session, email)
    stored_hash = user.password_hash if user else passwords.dummy_hash(ph)
    valid = await asyncio.to_thread(passwords.verify_password, ph, stored_hash, password)
    if user is None or not valid or not user.is_active:
        raise Unauthorized("E-mail or password is wrong.")
    token = issue_access_token(
        await principal_for(session, user),
        private_key_pem=settings.private_key_pem,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        minutes=settings.access_token_minutes,
    )
    return TokenPair(access_token=token, expires_in=settings.access_token_minutes * 60)


async def me(session: AsyncSession, principal: Principal) -> tuple[User, list[Membership]]:
    user = await repository.get_user(session, principal.org_id, principal.user_id)
    if user is None or not user.is_active:
        raise NotFound("Your account no longer exists.")
    return user, await repository.memberships_of(session, user.id)
