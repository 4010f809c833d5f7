"""Data factories: clubs built through the users service, so their events go through the outbox as in production."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from operational.kit.auth import Principal, issue_access_token
from operational.kit.db import session_factory, sqlalchemy_url
from operational.users import auth_service
from operational.users import service as users_service
from operational.users.config import UsersSettings
from operational.users.models import GuardianLink

PASSWORD = "correct horse battery staple"
MINOR_BIRTH_DATE = date(2011, 3, 15)

# argon2id hashes of PASSWORD, one per set of cost parameters, made by the users service's own hashing
_password_hashes: dict[tuple, str] = {}
_hash_new_password = auth_service.hash_new_password


async def _hash_once(settings: UsersSettings, password: str) -> str:
    key = (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism, password)
    if key not in _password_hashes:
        _password_hashes[key] = await _hash_new_password(settings, password)
    return _password_hashes[key]


@contextlib.contextmanager
def _one_hash_for_everyone() -> Iterator[None]:
    """The people a factory makes share one real argon2id hash of their password: a hash costs about 20 ms of CPU and
    the suite makes thousands of people, while what hashing does (a salt and the settings' costs per new password) is
    checked through the API, which this leaves alone. Signing in still verifies the hash for real."""
    auth_service.hash_new_password = _hash_once
    try:
        yield
    finally:
        auth_service.hash_new_password = _hash_new_password


@dataclass
class Person:
    id: uuid.UUID
    email: str
    principal: Principal
    token: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Club:
    org_id: uuid.UUID
    team_id: uuid.UUID
    other_team_id: uuid.UUID
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Person:
        return self.people[name]


async def _make_club(settings: UsersSettings, spares: int) -> Club:
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    sessions = session_factory(engine)
    suffix = uuid.uuid4().hex[:8]
    async with sessions() as session, session.begin():
        org = await users_service.create_organization(session, name=f"Club {suffix}", slug=f"club-{suffix}")
        team = await users_service.create_team(session, org.id, name="U16", season="2026-27", age_group="U16")
        other = await users_service.create_team(session, org.id, name="U18", season="2026-27", age_group="U18")
        roster = {
            "admin": ([], ["club_admin"]),
            "coach": ([(team, "coach")], []),
            "other_coach": ([(other, "coach")], []),
            "player": ([(team, "player")], []),
            "teammate": ([(team, "player")], []),
            "other_player": ([(other, "player")], []),
            "parent": ([(team, "parent")], []),
            "medic": ([], ["medical_staff"]),
        }
        roster.update({f"spare{n}": ([], []) for n in range(1, spares + 1)})
        club = Club(org_id=org.id, team_id=team.id, other_team_id=other.id)
        users = {}
        for name, (teams, org_roles) in roster.items():
            user = await users_service.create_user(
                session,
                settings,
                org.id,
                email=f"{name}-{suffix}@example.org",
                full_name=name.replace("_", " ").title(),
                password=PASSWORD,
                org_roles=org_roles,
                date_of_birth=MINOR_BIRTH_DATE if name == "player" else None,
            )
            for t, role in teams:
                await users_service.add_membership(session, user, t, role)
            users[name] = user
        session.add(
            GuardianLink(id=uuid.uuid4(), org_id=org.id, guardian_id=users["parent"].id, minor_id=users["player"].id)
        )
        await session.flush()
        for name, user in users.items():
            principal = await users_service.principal_for(session, user)
            club.people[name] = Person(id=user.id, email=user.email, principal=principal)
    await engine.dispose()
    for person in club.people.values():
        person.token = token_for(settings, person.principal)
    return club


def token_for(settings: UsersSettings, principal: Principal, minutes: int = 15) -> str:
    return issue_access_token(
        principal,
        private_key_pem=settings.private_key_pem,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        minutes=minutes,
    )


def make_club(settings: UsersSettings, *, spares: int = 0) -> Club:
    """A club with a team (coach, two players, a parent of the first player who is a minor), another team (coach,
    player), a club admin, a medic, and ``spares`` members without a team (``spare1`` …) for tests that change
    someone."""
    with _one_hash_for_everyone():
        return asyncio.run(_make_club(settings, spares))


async def _make_platform_admin(settings: UsersSettings) -> Person:
    engine = create_async_engine(sqlalchemy_url(settings.database_url), poolclass=NullPool)
    suffix = uuid.uuid4().hex[:8]
    async with session_factory(engine)() as session, session.begin():
        org = await users_service.create_organization(session, name=f"Operator {suffix}", slug=f"operator-{suffix}")
        user = await users_service.create_user(
            session,
            settings,
            org.id,
            email=f"platform-{suffix}@example.org",
            full_name="Platform Admin",
            password=PASSWORD,
            org_roles=["platform_admin"],
        )
        principal = await users_service.principal_for(session, user)
    await engine.dispose()
    return Person(id=user.id, email=user.email, principal=principal, token=token_for(settings, principal))


def make_platform_admin(settings: UsersSettings) -> Person:
    """Someone who runs the platform (role platform_admin), in an operator club of their own."""
    with _one_hash_for_everyone():
        return asyncio.run(_make_platform_admin(settings))
