"""Onboarding, suspending and reactivating clubs. Never commits: the request's unit of work does.

Only platform admins onboard, suspend and reactivate. A club admin may read their own club; any other club's id is
404 to them (it reveals nothing).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict, NotFound
from operational.kit.pagination import PageParams
from operational.kit.policies import require_any_role
from operational.users import events, invitations, service, sessions
from operational.users.clubs import repository
from operational.users.clubs.schemas import ClubCreate, ClubOnboarded, ClubRead
from operational.users.config import UsersSettings
from operational.users.models import Organization, outbox
from operational.users.policies import ADMINS

PLATFORM_ADMIN = "platform_admin"


def is_platform_admin(principal: Principal) -> bool:
    return principal.has_any_role(PLATFORM_ADMIN)


def read(org: Organization) -> ClubRead:
    fields = {name: getattr(org, name) for name in ClubRead.model_fields if name != "status"}
    return ClubRead(**fields, status="suspended" if org.suspended_at is not None else "active")


async def onboard(
    session: AsyncSession, settings: UsersSettings, principal: Principal, body: ClubCreate
) -> ClubOnboarded:
    """A new club with its first club admin invited (the link is returned once and announced for delivery)."""
    require_any_role(principal, PLATFORM_ADMIN, action="create clubs")
    org = await service.create_organization(
        session,
        name=body.name,
        slug=body.slug,
        time_zone=body.time_zone,
        language=body.language,
        plan=body.plan,
        actor=principal,
    )
    admin = await service.create_user(
        session,
        settings,
        org.id,
        email=body.first_admin.email,
        full_name=body.first_admin.full_name,
        password=None,
        org_roles=["club_admin"],
        actor=principal,
    )
    invitation = await invitations.issue(session, settings, admin, principal.user_id)
    await session.refresh(org)
    return ClubOnboarded(
        club=read(org),
        admin_user_id=admin.id,
        invitation_token=invitation.invitation_token,
        invitation_expires_at=invitation.expires_at,
    )


async def list_clubs(
    session: AsyncSession, principal: Principal, page: PageParams, *, status: str | None, search: str | None
) -> tuple[list[Organization], int]:
    """Platform admins: every club. Club admins: their own."""
    require_any_role(principal, *ADMINS, action="see clubs")
    only = None if is_platform_admin(principal) else principal.org_id
    return await repository.list_clubs(session, page, only=only, status=status, search=search)


async def load_club(session: AsyncSession, principal: Principal, club_id: uuid.UUID, *, lock: bool = False):
    """The club ``club_id`` if the caller may see it; another club's id is 404 to anyone but a platform admin."""
    require_any_role(principal, *ADMINS, action="see clubs")
    if not is_platform_admin(principal) and club_id != principal.org_id:
        raise NotFound("No such club.")
    org = await (repository.lock_club(session, club_id) if lock else session.get(Organization, club_id))
    if org is None:
        raise NotFound("No such club.")
    return org


async def suspend(session: AsyncSession, principal: Principal, club_id: uuid.UUID, reason: str | None) -> Organization:
    """Nobody of the club signs in any more, and every token its people hold stops working at once (a
    ``users.sessions.revoked`` per person tells every API); its data stays."""
    org = await load_club(session, principal, club_id, lock=True)  # another club's id is 404 before any role check
    require_any_role(principal, PLATFORM_ADMIN, action="suspend clubs")
    if org.id == principal.org_id:
        raise Conflict("You cannot suspend your own club: you would lock yourself out.")
    if org.suspended_at is not None:
        raise Conflict(f"{org.name} is already suspended.")
    org.suspended_at, org.suspension_reason = datetime.now(UTC), reason
    await outbox.record(session, events.organization_suspended(org, actor_id=principal.user_id))
    for user in await repository.people_who_can_sign_in(session, org.id):
        await sessions.revoke_all_sessions(session, user, reason="club_suspended", actor_id=principal.user_id)
    return org


async def reactivate(session: AsyncSession, principal: Principal, club_id: uuid.UUID) -> Organization:
    org = await load_club(session, principal, club_id, lock=True)
    require_any_role(principal, PLATFORM_ADMIN, action="reactivate clubs")
    if org.suspended_at is None:
        raise Conflict(f"{org.name} is not suspended.")
    org.suspended_at, org.suspension_reason = None, None
    await outbox.record(session, events.organization_reactivated(org, datetime.now(UTC), actor_id=principal.user_id))
    return org
