"""Clubs, teams, people and memberships. Never commits: the request's unit of work does, with the events recorded
here."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, Forbidden, HubError, NotFound
from operational.kit.pagination import PageParams
from operational.users import auth_service, events, invitations, policies, repository, sessions
from operational.users.clubs import configuration
from operational.users.config import UsersSettings
from operational.users.models import Membership, Organization, Team, User, outbox, private_outbox
from operational.users.policies import Person
from operational.users.schemas import (
    DirectoryEntry,
    InvitationCreate,
    InvitationRead,
    MembershipCreate,
    MembershipRead,
    OrganizationUpdate,
    ProfileUpdate,
    TeamCreate,
    TeamUpdate,
    UserAdminUpdate,
    UserRead,
)
from operational.users.sessions import principal_for  # noqa: F401  (part of this module's interface)

# what comms must know at once to e-mail a person (contracts/private.py)
CONTACT_FIELDS = frozenset({"email", "language"})


def _actor(principal: Principal | None) -> uuid.UUID | None:
    return principal.user_id if principal else None


def _apply(row, changes: dict) -> list[str]:
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, changes[name])
    return sorted(changed)


# --- organizations --------------------------------------------------------------------------------------------------
async def create_organization(
    session: AsyncSession,
    *,
    name: str,
    slug: str,
    time_zone: str = "UTC",
    language: str = "en",
    plan: str = "standard",
    actor=None,
) -> Organization:
    if await repository.get_organization_by_slug(session, slug):
        raise Conflict(f"An organization with slug '{slug}' already exists.", field="slug")
    org = await repository.add(
        session,
        Organization(id=uuid.uuid4(), name=name, slug=slug, time_zone=time_zone, language=language, plan=plan),
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
    required_before = sorted(org.mfa_required_roles or [])
    changes = body.changes()
    if "mfa_required_roles" in changes:
        changes["mfa_required_roles"] = sorted(set(changes["mfa_required_roles"]))
    if "mfa_required_roles" in _apply(org, changes):
        # the same switch as the club configuration's required_totp_roles: audited and announced alike
        await configuration.record_change(
            session, org, principal, "required_totp_roles", required_before, org.mfa_required_roles
        )
        await configuration.announce(session, org, principal, ["required_totp_roles"])
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


async def list_teams(
    session: AsyncSession, principal: Principal, page: PageParams, *, search, season, age_group
) -> tuple[list[Team], int]:
    return await repository.list_teams(
        session,
        principal.org_id,
        page,
        only=policies.visible_team_ids(principal),
        search=search,
        season=season,
        age_group=age_group,
    )


async def update_team(session: AsyncSession, principal: Principal, team: Team, body: TeamUpdate) -> Team:
    policies.ensure_admin(principal, "change teams")
    changed = _apply(team, body.changes())
    if changed:
        await outbox.record(session, events.team_updated(team, changed, actor_id=principal.user_id))
    return team


# --- people: reading ------------------------------------------------------------------------------------------------
async def read_people(
    session: AsyncSession, principal: Principal, people: list[Person]
) -> list[UserRead | DirectoryEntry]:
    """Each person in the view the caller is entitled to (:func:`policies.audience`)."""
    viewer = await policies.viewer_of(session, principal)
    audiences = [policies.audience(viewer, person) for person in people]
    full = [person.id for person, seen in zip(people, audiences, strict=True) if seen == "full"]
    latest = await repository.latest_invitations(session, principal.org_id, full)
    now = datetime.now(UTC)
    reads: list[UserRead | DirectoryEntry] = []
    for person, seen in zip(people, audiences, strict=True):
        if seen == "full":
            reads.append(
                UserRead.model_validate(person.user).model_copy(
                    update={
                        "memberships": [MembershipRead.model_validate(m) for m in person.memberships],
                        "totp_enabled": person.user.totp_enabled_at is not None,
                        "invitation": invitations.state_of(latest.get(person.id), now),
                    }
                )
            )
        else:
            shared = [m for m in person.memberships if m.team_id in principal.team_ids]
            reads.append(
                DirectoryEntry(
                    id=person.id,
                    full_name=person.user.full_name,
                    position=person.user.position,
                    jersey_number=person.user.jersey_number,
                    memberships=[MembershipRead.model_validate(m) for m in shared],
                )
            )
    return reads


async def read_person(session: AsyncSession, principal: Principal, person: Person) -> UserRead | DirectoryEntry:
    [read] = await read_people(session, principal, [person])
    return read


async def me(session: AsyncSession, principal: Principal) -> UserRead:
    person = await policies.fetch_person(session, principal.user_id)
    if person is None or person.org_id != principal.org_id or not person.user.is_active:
        raise NotFound("Your account no longer exists.")
    return await read_person(session, principal, person)


async def list_users(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    team_id: uuid.UUID | None,
    role: str | None,
    search: str | None,
    active: bool | None,
    include_inactive: bool = False,
) -> tuple[list[UserRead | DirectoryEntry], int]:
    """The club's people the caller may see; by default only active ones (invited people included)."""
    if team_id is not None:
        await policies.team_loader.load(session, principal, team_id, field="team_id")
    admin = policies.is_admin(principal)
    if active is False and not admin:
        raise Forbidden("Only club admins see deactivated accounts.", field="active")
    if active is None and not (include_inactive and admin):
        active = True
    users, total = await repository.list_users(
        session,
        principal.org_id,
        page,
        team_ids=policies.visible_team_ids(principal),
        team_id=team_id,
        role=role,
        search=search,
        search_email=admin,  # others search names only: an e-mail is not theirs to probe
        active=active,
    )
    memberships = await repository.memberships_of_many(session, [u.id for u in users])
    people = [Person(user, memberships.get(user.id, [])) for user in users]
    return await read_people(session, principal, people), total


# --- people: changing -----------------------------------------------------------------------------------------------
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
    """A new account in the club; without a password the person is invited (see :mod:`invitations`)."""
    email = email.strip().lower()
    if await repository.get_user_by_email(session, org_id, email):
        raise Conflict("Someone in your club already has this e-mail.", field="email")
    user = User(
        id=uuid.uuid4(),
        org_id=org_id,
        email=email,
        full_name=full_name,
        password_hash=await auth_service.hash_new_password(settings, password) if password else None,
        org_roles=list(org_roles or []),
        date_of_birth=date_of_birth,
        position=position,
        jersey_number=jersey_number,
        is_active=True,
    )
    try:
        async with session.begin_nested():
            await repository.add(session, user)
    except IntegrityError as exc:  # the same e-mail added by a concurrent request
        raise Conflict("Someone in your club already has this e-mail.", field="email") from exc
    await outbox.record(session, events.user_created(user, actor_id=_actor(actor), invited=password is None))
    await private_outbox.record(session, events.contact_changed(user))
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


async def update_user(
    session: AsyncSession, principal: Principal, person: Person, body: ProfileUpdate | UserAdminUpdate
) -> User:
    """Club admins change any member; the person and their guardian change the profile fields."""
    changes = body.changes()
    if {"date_of_birth", "org_roles"} & changes.keys():
        policies.ensure_admin(principal, "change a member's club roles or date of birth")
    elif not policies.can_edit_profile(principal, person):
        raise Forbidden("You can only change your own profile, or that of a minor you are guardian of.")
    user = person.user
    changed = _apply(user, changes)
    if changed:
        user.updated_at = datetime.now(UTC)
        await outbox.record(session, events.user_updated(user, changed, actor_id=principal.user_id))
        if CONTACT_FIELDS.intersection(changed):
            await private_outbox.record(session, events.contact_changed(user))
    return user


async def deactivate_user(session: AsyncSession, principal: Principal, person: Person, reason: str | None) -> User:
    policies.ensure_admin(principal, "deactivate accounts")
    user = person.user
    if user.id == principal.user_id:
        raise HubError("You cannot deactivate your own account; ask another club admin.")
    if not user.is_active:
        return user
    now = datetime.now(UTC)
    user.is_active, user.deactivated_at = False, now
    await repository.revoke_one_time_tokens(session, user.id, now)  # a pending invitation must not reopen it
    await sessions.revoke_all_sessions(session, user, reason="deactivated", actor_id=principal.user_id)
    await outbox.record(session, events.user_deactivated(user, reason, actor_id=principal.user_id))
    return user


async def invite(
    session: AsyncSession, settings: UsersSettings, principal: Principal, body: InvitationCreate
) -> InvitationRead:
    team = None
    if body.team_id is not None:
        team = await policies.team_loader.load(session, principal, body.team_id, field="team_id")
        if body.role is None:
            raise HubError("Say which role the person has in the team.", field="role")
    policies.ensure_can_invite(principal, team, body.role, list(body.org_roles))
    existing = await repository.get_user_by_email(session, principal.org_id, body.email)
    if existing is not None:
        raise Conflict(
            f"{existing.full_name} is already a member with this e-mail; a club admin can send them a new "
            "invitation or add them to a team.",
            field="email",
        )
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
    return await invitations.issue(session, settings, user, principal.user_id)


# --- team rosters ---------------------------------------------------------------------------------------------------
async def add_member(session: AsyncSession, principal: Principal, team: Team, body: MembershipCreate) -> Membership:
    """Club admins put a member of the club into a team (anyone else: 403, whoever the id names)."""
    policies.ensure_can_add_member(principal)
    person = await policies.person_loader.load(session, principal, body.user_id, field="user_id")
    return await add_membership(session, person.user, team, body.role, actor=principal)


async def _membership(session, principal: Principal, team_id: uuid.UUID, membership_id: uuid.UUID) -> Membership:
    membership = await repository.get_membership(session, principal.org_id, team_id, membership_id)
    if membership is None:
        raise NotFound("No such membership.")
    return membership


async def remove_member(session: AsyncSession, principal: Principal, team: Team, membership_id: uuid.UUID) -> None:
    membership = await _membership(session, principal, team.id, membership_id)
    policies.ensure_can_remove_member(principal, team, membership.role)
    await repository.delete_row(session, membership)
    await outbox.record(session, events.membership_removed(membership, actor_id=principal.user_id))


async def change_member_role(
    session: AsyncSession, principal: Principal, team: Team, membership_id: uuid.UUID, role: str
) -> Membership:
    membership = await _membership(session, principal, team.id, membership_id)
    policies.ensure_admin(principal, "change someone's role in a team")
    previous = membership.role
    if previous != role:
        if await repository.find_membership(session, membership.user_id, team.id, role):
            raise Conflict(f"This person already has the role {role} in this team.", field="role")
        membership.role = role
        await outbox.record(session, events.membership_role_changed(membership, previous, principal.user_id))
    return membership
