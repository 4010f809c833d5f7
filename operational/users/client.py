"""What other services may ask the users service to do about memberships, in the users service's own terms: the
player-transfer saga (operational/payments/transfers) moves a player out of one team and into another through these
calls, never through the users tables.

Each call works on the session it is given and never commits (the caller commits it in a transaction of its own,
apart from its own state), records the same ``users.membership.*`` events as the members API, and is idempotent: a
join of someone who is already in the team, or a leave of someone who is not, changes nothing and records nothing,
so a saga step done twice (a crash between the step and the saga noting it) is done once.

Errors: :class:`~operational.kit.errors.NotFound` when the person or the team is not of ``org_id``, or the person is
deactivated (a permanent failure the saga compensates).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.errors import NotFound
from operational.users import events, repository
from operational.users.models import Membership, outbox


@dataclass(frozen=True)
class Member:
    """A person as the users service knows them: club, name, whether they may still sign in, and guardians."""

    id: uuid.UUID
    org_id: uuid.UUID
    full_name: str
    is_active: bool


async def member(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> Member | None:
    """The person ``user_id`` of club ``org_id``, or None."""
    user = await repository.get_user(session, org_id, user_id)
    if user is None:
        return None
    return Member(id=user.id, org_id=user.org_id, full_name=user.full_name, is_active=user.is_active)


async def team_exists(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    return await repository.get_team(session, org_id, team_id) is not None


async def is_in_team(session: AsyncSession, user_id: uuid.UUID, team_id: uuid.UUID, role: str) -> bool:
    return await repository.find_membership(session, user_id, team_id, role) is not None


async def join_team(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, team_id: uuid.UUID, role: str, actor_id: uuid.UUID
) -> bool:
    """Put ``user_id`` into ``team_id`` in ``role``; True when they were not in it before."""
    user = await repository.get_user(session, org_id, user_id)
    team = await repository.get_team(session, org_id, team_id)
    if user is None or not user.is_active:
        raise NotFound("No such person in the club (or their account was deactivated).", field="player_id")
    if team is None:
        raise NotFound("No such team in the club.", field="to_team_id")
    if await repository.find_membership(session, user_id, team_id, role):
        return False
    membership = await repository.add(
        session, Membership(id=uuid.uuid4(), org_id=org_id, user_id=user_id, team_id=team_id, role=role)
    )
    await outbox.record(session, events.membership_added(membership, actor_id=actor_id))
    return True


async def leave_team(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, team_id: uuid.UUID, role: str, actor_id: uuid.UUID
) -> bool:
    """Take ``user_id`` off ``team_id`` in ``role``; True when they were in it."""
    membership = await repository.find_membership(session, user_id, team_id, role)
    if membership is None or membership.org_id != org_id:
        return False
    await repository.delete_row(session, membership)
    await outbox.record(session, events.membership_removed(membership, actor_id=actor_id))
    return True
