"""A club's players and teams as a service's own roster read model knows them (kept from users events), and the
fetches a service's loaders resolve player and team ids with (kit/loaders.py: other club → 404, not allowed → 403).

Every service with a roster read model keeps it in its own schema; its repository answers the two questions below.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal


@dataclass(frozen=True)
class RosterPlayer:
    """A player of the club as the roster read model knows them: the teams they play for today."""

    id: uuid.UUID
    org_id: uuid.UUID
    team_ids: frozenset[uuid.UUID]


@dataclass(frozen=True)
class RosterTeam:
    id: uuid.UUID
    org_id: uuid.UUID


PlayerFetch = Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[RosterPlayer | None]]
TeamFetch = Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[RosterTeam | None]]


def roster_fetches(repository: ModuleType) -> tuple[PlayerFetch, TeamFetch]:
    """The player and team fetches over a service's roster read model. ``repository`` provides
    ``teams_of_player(session, org_id, player_id) -> iterable of team ids`` and
    ``team_in_org(session, org_id, team_id) -> bool``, both within the caller's club.

    A player with no team today is still found by themself and their guardian (their token vouches for them); a team
    named in the caller's token is found before the read model has caught up with it."""

    async def fetch_player(session: AsyncSession, principal: Principal, player_id: uuid.UUID) -> RosterPlayer | None:
        teams: Iterable[uuid.UUID] = await repository.teams_of_player(session, principal.org_id, player_id)
        team_ids = frozenset(teams)
        if team_ids or principal.acts_for(player_id):
            return RosterPlayer(id=player_id, org_id=principal.org_id, team_ids=team_ids)
        return None

    async def fetch_team(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> RosterTeam | None:
        if team_id in principal.team_ids or await repository.team_in_org(session, principal.org_id, team_id):
            return RosterTeam(id=team_id, org_id=principal.org_id)
        return None

    return fetch_player, fetch_team


MEMBERSHIP_EVENT_TYPES = (
    "users.membership.added",
    "users.membership.removed",
    "users.membership.role_changed",
    "users.user.deactivated",
    "users.user.anonymized",
)


async def join_roster(session: AsyncSession, entry: type, org_id, team_id, user_id, role: str) -> None:
    """``user_id`` is on ``team_id`` in ``role`` in a roster table ``entry`` (columns team_id, user_id, role, org_id);
    a repeated join changes nothing."""
    await session.execute(
        pg_insert(entry).values(team_id=team_id, user_id=user_id, role=role, org_id=org_id).on_conflict_do_nothing()
    )


async def leave_roster(
    session: AsyncSession, entry: type, org_id, user_id, *, team_id=None, role: str | None = None
) -> None:
    """``user_id`` leaves ``team_id`` in ``role`` (every team and role when they are None)."""
    statement = delete(entry).where(entry.org_id == org_id, entry.user_id == user_id)
    if team_id is not None:
        statement = statement.where(entry.team_id == team_id)
    if role is not None:
        statement = statement.where(entry.role == role)
    await session.execute(statement)


async def apply_membership_event(session: AsyncSession, event, repository: ModuleType) -> bool:
    """Keep a service's roster read model in step with one users event, through ``repository.join_team`` and
    ``repository.leave_team``; False when the event is not a membership event (the caller handles it). A deactivated
    or anonymized person leaves every team; what else anonymizing erases is the caller's."""
    if event.type not in MEMBERSHIP_EVENT_TYPES:
        return False
    data = event.data
    if event.type == "users.membership.added":
        await repository.join_team(session, event.org_id, data.team_id, data.user_id, data.role)
    elif event.type == "users.membership.removed":
        await repository.leave_team(session, event.org_id, data.user_id, team_id=data.team_id, role=data.role)
    elif event.type == "users.membership.role_changed":
        await repository.leave_team(session, event.org_id, data.user_id, team_id=data.team_id, role=data.previous_role)
        await repository.join_team(session, event.org_id, data.team_id, data.user_id, data.role)
    else:
        await repository.leave_team(session, event.org_id, data.user_id)
    return True
