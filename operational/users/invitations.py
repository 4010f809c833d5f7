"""Invitations: how every person created by an admin or a coach (one by one or by CSV import) gets in.

Each gets a one-time link (only its hash is stored) that sets their password; comms e-mails it from a private message
(contracts/private.py: the link never enters ``users.invitation.created`` nor anything the warehouse lands), and the
API shows it once to whoever created the person, so it can be passed on by hand too. Admins see where each invitation
stands (pending, accepted, expired) and can send a new link, which makes the previous one invalid.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import Conflict
from operational.kit.pagination import DateRange, PageParams
from operational.users import auth_service, events, policies, repository
from operational.users.config import UsersSettings, account_link
from operational.users.models import OneTimeToken, User, outbox, private_outbox
from operational.users.schemas import InvitationRead, InvitationState, InvitationStatus, InvitationSummary

PURPOSE = "invitation"


def status_of(invitation: OneTimeToken, now: datetime) -> InvitationStatus:
    if invitation.used_at is not None:
        return "accepted"
    if invitation.revoked_at is not None or invitation.expires_at <= now:
        return "expired"
    return "pending"


def state_of(invitation: OneTimeToken | None, now: datetime | None = None) -> InvitationState | None:
    if invitation is None:
        return None
    return InvitationState(
        status=status_of(invitation, now or datetime.now(UTC)),
        invited_at=invitation.created_at,
        expires_at=invitation.expires_at,
        accepted_at=invitation.used_at,
    )


async def issue(
    session: AsyncSession, settings: UsersSettings, user: User, actor_id: uuid.UUID | None
) -> InvitationRead:
    """A new link for ``user`` (any earlier one stops working), announced for delivery."""
    token, row = await auth_service.new_one_time_token(session, user, PURPOSE, timedelta(days=settings.invitation_days))
    await outbox.record(session, events.invitation_created(user, row.id, row.expires_at.date(), actor_id))
    link = account_link(settings, PURPOSE, token)
    await private_outbox.record(session, events.account_link_issued(user, row.id, PURPOSE, link, row.expires_at.date()))
    return InvitationRead(user_id=user.id, invitation_token=token, expires_at=row.expires_at)


async def resend(
    session: AsyncSession, settings: UsersSettings, principal: Principal, person: policies.Person
) -> InvitationRead:
    policies.ensure_admin(principal, "send invitations again")
    user = person.user
    if not user.is_active:
        raise Conflict(f"{user.full_name}'s account is deactivated; no invitation can be sent.")
    if user.password_hash is not None:
        raise Conflict(f"{user.full_name} has already set a password; they can ask for a password reset instead.")
    return await issue(session, settings, user, principal.user_id)


async def list_invitations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: InvitationStatus | None,
    team_id: uuid.UUID | None,
    search: str | None,
    dates: DateRange | None,
) -> tuple[list[InvitationSummary], int]:
    policies.ensure_admin(principal, "see the club's invitations")
    if team_id is not None:
        await policies.team_loader.load(session, principal, team_id, field="team_id")
    now = datetime.now(UTC)
    rows, total = await repository.list_invitations(
        session,
        principal.org_id,
        page,
        now=now,
        time_zone=principal.time_zone,
        status=status,
        team_id=team_id,
        search=search,
        dates=dates,
    )
    items = [
        InvitationSummary(
            **state_of(invitation, now).model_dump(),
            user_id=user.id,
            email=user.email,
            full_name=user.full_name,
            is_active=user.is_active,
        )
        for invitation, user in rows
    ]
    return items, total
