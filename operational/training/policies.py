"""Who may do what to which training object. Pure rules over the caller's token and the loaded object; the loaders
(loaders.py) apply them to every id a client sends, and services apply the rest.

- Staff of a team: a coach or physical trainer whose token names the team. Club admins see the whole club.
- Records about a player (RPE logs, wellness, test results): the player, their guardian, staff of the team the
  record is filed under, and club admins read them; the player, their guardian and that team's staff correct them.
- Sessions: a session's creator, club admins and staff of its team (or, for a session without a team, staff of a
  team of one of its players) oversee it: every assignment and the live channel. Players see their own part.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, InvalidValue
from operational.kit.policies import require_any_role
from operational.kit.roster import RosterPlayer, RosterTeam

ADMINS = frozenset({"club_admin", "platform_admin"})
TEAM_STAFF = frozenset({"coach", "physical_trainer"})
STAFF = (*sorted(TEAM_STAFF), *sorted(ADMINS))


# --- what the loaders hand to the rules -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionView:
    """A planned session with who trains in it and the teams those players play for (for visibility)."""

    session: object  # models.TrainingSession
    player_ids: frozenset[uuid.UUID]
    player_team_ids: frozenset[uuid.UUID]

    @property
    def org_id(self) -> uuid.UUID:
        return self.session.org_id


# --- roles ----------------------------------------------------------------------------------------------------------
def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def staffs(principal: Principal, team_id: uuid.UUID | None) -> bool:
    """True for a coach or physical trainer of ``team_id``."""
    return team_id is not None and principal.has_any_role(*TEAM_STAFF) and team_id in principal.team_ids


def staffs_any(principal: Principal, team_ids: Iterable[uuid.UUID]) -> bool:
    return any(staffs(principal, team_id) for team_id in team_ids)


def ensure_staff(principal: Principal, action: str) -> None:
    require_any_role(principal, *STAFF, action=action)


# --- records about a player -----------------------------------------------------------------------------------------
def can_read_record(principal: Principal, record) -> bool:
    return principal.acts_for(record.player_id) or is_admin(principal) or staffs(principal, record.team_id)


def can_change_record(principal: Principal, record) -> bool:
    return principal.acts_for(record.player_id) or staffs(principal, record.team_id)


# --- players and teams ----------------------------------------------------------------------------------------------
def can_see_player(principal: Principal, player: RosterPlayer) -> bool:
    return principal.acts_for(player.id) or is_admin(principal) or staffs_any(principal, player.team_ids)


def can_coach_player(principal: Principal, player: RosterPlayer) -> bool:
    """Plan sessions for, and record test results of, this player."""
    return is_admin(principal) or staffs_any(principal, player.team_ids)


def can_see_team(principal: Principal, team: RosterTeam) -> bool:
    return is_admin(principal) or team.id in principal.team_ids


def can_manage_team(principal: Principal, team: RosterTeam) -> bool:
    return is_admin(principal) or staffs(principal, team.id)


def answering_for(principal: Principal, player_id: uuid.UUID | None, *, action: str) -> uuid.UUID:
    """Whose log or questionnaire this is: the caller if they play, or the minor a guardian names.

    A guardian must name the child (``player_id``) even when they have one: a record about a minor's health is never
    filed by inference, and the same request means the same whatever links the guardian has.
    """
    if player_id is None:
        if principal.has_any_role("player"):
            return principal.user_id
        if principal.guardian_of:
            raise InvalidValue(
                f"Say which player you {action} for (player_id): you can {action} for the minors you are guardian of.",
                field="player_id",
            )
        raise Forbidden(f"Only players (or a guardian, for their minor) {action}.", field="player_id")
    if player_id in principal.guardian_of:
        return player_id
    if player_id == principal.user_id and principal.has_any_role("player"):
        return player_id
    raise Forbidden(f"You can {action} for yourself (or a minor you are guardian of) only.", field="player_id")


# --- sessions -------------------------------------------------------------------------------------------------------
def oversees_session(principal: Principal, view: SessionView) -> bool:
    training_session = view.session
    if is_admin(principal) or training_session.created_by == principal.user_id:
        return True
    if training_session.team_id is not None:
        return staffs(principal, training_session.team_id)
    return staffs_any(principal, view.player_team_ids)


def can_read_session(principal: Principal, view: SessionView) -> bool:
    return oversees_session(principal, view) or any(principal.acts_for(p) for p in view.player_ids)


def can_plan_for_team(principal: Principal, team_id: uuid.UUID | None) -> bool:
    return is_admin(principal) or team_id is None or staffs(principal, team_id)


# --- lists ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListScope:
    """What a list may return: the records of ``player_ids`` (the caller and the minors they are guardian of), plus
    those filed under every team (``team_ids`` None) or under these teams."""

    player_ids: frozenset[uuid.UUID]
    team_ids: frozenset[uuid.UUID] | None


def list_scope(principal: Principal) -> ListScope:
    own = principal.guardian_of | {principal.user_id}
    if is_admin(principal):
        return ListScope(own, None)
    if principal.has_any_role(*TEAM_STAFF):
        return ListScope(own, principal.team_ids)
    return ListScope(own, frozenset())


@dataclass(frozen=True)
class SessionScope:
    """Which sessions a list may return: every session of the club, or those the caller created, those of the teams
    they coach (or, without a team, with a player of those teams), and those the caller's players train in."""

    everything: bool
    user_id: uuid.UUID
    staff_team_ids: frozenset[uuid.UUID]
    own_player_ids: frozenset[uuid.UUID]


def session_scope(principal: Principal) -> SessionScope:
    staff_teams = principal.team_ids if principal.has_any_role(*TEAM_STAFF) else frozenset()
    return SessionScope(
        everything=is_admin(principal),
        user_id=principal.user_id,
        staff_team_ids=frozenset(staff_teams),
        own_player_ids=principal.guardian_of | {principal.user_id},
    )
