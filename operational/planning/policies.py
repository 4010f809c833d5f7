"""Who may do what to which planning object. Pure rules over the caller's token and the loaded object; the loaders
(loaders.py) apply them to every id a client sends.

- Season plans: the team's members (staff, players, parents) and club admins read them; the team's coaches and
  physical trainers (and club admins) change them.
- Goals and development plans about a player: the player, their guardian, staff of the player's team and club admins
  read them; staff of that team and club admins change them. A team goal is read by the team's members.
- Reviews of a development plan are written by staff of the player's team (or a club admin).
"""

from __future__ import annotations

import uuid

from operational.kit.auth import Principal
from operational.kit.roster import RosterPlayer, RosterTeam

ADMINS = frozenset({"club_admin", "platform_admin"})
TEAM_STAFF = frozenset({"coach", "physical_trainer"})
STAFF = (*sorted(TEAM_STAFF), *sorted(ADMINS))


def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def staffs(principal: Principal, team_id: uuid.UUID | None) -> bool:
    """True for a coach or physical trainer of ``team_id``."""
    return team_id is not None and principal.has_any_role(*TEAM_STAFF) and team_id in principal.team_ids


def member_of(principal: Principal, team_id: uuid.UUID) -> bool:
    return is_admin(principal) or team_id in principal.team_ids


# --- teams and their plans ------------------------------------------------------------------------------------------
def can_see_team(principal: Principal, team: RosterTeam) -> bool:
    return member_of(principal, team.id)


def can_manage_team(principal: Principal, team: RosterTeam) -> bool:
    return is_admin(principal) or staffs(principal, team.id)


def can_read_plan(principal: Principal, plan) -> bool:
    return member_of(principal, plan.team_id)


def can_change_plan(principal: Principal, plan) -> bool:
    return is_admin(principal) or staffs(principal, plan.team_id)


# --- players, goals and development plans ---------------------------------------------------------------------------
def can_see_player(principal: Principal, player: RosterPlayer) -> bool:
    return principal.acts_for(player.id) or is_admin(principal) or any(staffs(principal, t) for t in player.team_ids)


def can_coach_player(principal: Principal, player: RosterPlayer) -> bool:
    return is_admin(principal) or any(staffs(principal, t) for t in player.team_ids)


def can_read_about(principal: Principal, record) -> bool:
    """A goal or development plan: a player's own (or their minor's), their team staff's, or a team goal the caller's
    team has."""
    if record.player_id is None:
        return member_of(principal, record.team_id)
    return principal.acts_for(record.player_id) or is_admin(principal) or staffs(principal, record.team_id)


def can_change_about(principal: Principal, record) -> bool:
    return is_admin(principal) or staffs(principal, record.team_id)
