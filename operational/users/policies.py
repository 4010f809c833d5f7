"""Who may do what to which organization, team and person in the users service.

Rules: an id from another club is 404 (it reveals nothing); an action the caller's role does not allow on something
they can see is 403.
"""

from __future__ import annotations

import uuid

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, NotFound
from operational.kit.policies import in_same_org, require_any_role
from operational.users.models import Membership, Team, User

ADMINS = ("club_admin", "platform_admin")
TEAM_STAFF = ("coach", "physical_trainer", "medical_staff")
ROLES_A_COACH_MAY_GRANT = frozenset({"player", "parent"})


def is_admin(principal: Principal) -> bool:
    return principal.has_any_role(*ADMINS)


def ensure_admin(principal: Principal, action: str) -> None:
    require_any_role(principal, *ADMINS, action=action)


def ensure_team_in_org(principal: Principal, team: Team | None) -> Team:
    if team is None or not in_same_org(principal, team.org_id):
        raise NotFound("No such team.")
    return team


def ensure_user_in_org(principal: Principal, user: User | None) -> User:
    if user is None or not in_same_org(principal, user.org_id) or user.anonymized_at is not None:
        raise NotFound("No such person.")
    return user


def can_see_team(principal: Principal, team: Team) -> bool:
    return is_admin(principal) or team.id in principal.team_ids


def ensure_can_see_team(principal: Principal, team: Team) -> Team:
    if not can_see_team(principal, team):
        raise Forbidden("You are not a member of this team.")
    return team


def visible_team_ids(principal: Principal) -> frozenset[uuid.UUID] | None:
    """None: every team of the club."""
    return None if is_admin(principal) else principal.team_ids


def ensure_can_manage_members(principal: Principal, team: Team, role: str) -> None:
    if is_admin(principal):
        return
    if principal.has_any_role("coach") and team.id in principal.team_ids and role in ROLES_A_COACH_MAY_GRANT:
        return
    raise Forbidden("Only club admins, or this team's coach for players and parents, can change the roster.")


def can_see_user(principal: Principal, user: User, their_memberships: list[Membership]) -> bool:
    if principal.acts_for(user.id) or is_admin(principal):
        return True
    shared_teams = {m.team_id for m in their_memberships} & principal.team_ids
    # staff see their teams' people; players and parents see their teammates (a roster)
    return bool(shared_teams)


def ensure_can_see_user(principal: Principal, user: User, their_memberships: list[Membership]) -> User:
    if not can_see_user(principal, user, their_memberships):
        raise Forbidden("You can only see people in your own teams.")
    return user


def ensure_can_edit_profile(principal: Principal, user: User) -> None:
    if not (principal.acts_for(user.id) or is_admin(principal)):
        raise Forbidden("You can only change your own profile, or that of a minor you are guardian of.")


def ensure_can_invite(principal: Principal, team: Team | None, role: str | None, org_roles: list[str]) -> None:
    if is_admin(principal):
        return
    if org_roles:
        raise Forbidden("Only club admins can grant club-wide roles.", field="org_roles")
    if team is None or role is None:
        raise Forbidden("Only club admins can invite someone without a team.", field="team_id")
    ensure_can_manage_members(principal, team, role)
