"""Who may log and read session RPE."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, NotFound
from operational.kit.policies import in_same_org, require_any_role
from operational.training.models import SessionRpeLog

READ_ALL_IN_ORG = frozenset({"club_admin", "platform_admin"})
READ_OWN_TEAMS = frozenset({"coach", "physical_trainer"})


def ensure_can_log(principal: Principal, player_id: uuid.UUID) -> None:
    if player_id in principal.guardian_of:
        return  # a parent answers for their minor
    if player_id != principal.user_id:
        raise Forbidden(
            "You can log session RPE for yourself (or a minor you are guardian of) only.", field="player_id"
        )
    require_any_role(principal, "player", action="log session RPE")


def resolve_team(principal: Principal, team_id: uuid.UUID | None) -> uuid.UUID | None:
    if team_id is None:
        return next(iter(principal.team_ids)) if len(principal.team_ids) == 1 else None
    if team_id not in principal.team_ids:
        raise Forbidden("You are not a member of that team.", field="team_id")
    return team_id


def can_read(principal: Principal, log: SessionRpeLog) -> bool:
    if not in_same_org(principal, log.org_id):
        return False
    if principal.acts_for(log.player_id) or principal.has_any_role(*READ_ALL_IN_ORG):
        return True
    return principal.has_any_role(*READ_OWN_TEAMS) and log.team_id in principal.team_ids


def ensure_can_read(principal: Principal, log: SessionRpeLog | None) -> SessionRpeLog:
    # an id of another club reveals nothing: it is simply not found
    if log is None or not in_same_org(principal, log.org_id):
        raise NotFound("No such RPE log.")
    if not can_read(principal, log):
        raise Forbidden("You can see your own logs, and coaches their teams' logs.")
    return log


@dataclass(frozen=True)
class ListScope:
    """What a list query may return: the logs of ``player_ids`` (the caller and the minors they are guardian of),
    plus those of every team (``team_ids`` None) or of these teams."""

    player_ids: frozenset[uuid.UUID]
    team_ids: frozenset[uuid.UUID] | None


def list_scope(principal: Principal) -> ListScope:
    own = principal.guardian_of | {principal.user_id}
    if principal.has_any_role(*READ_ALL_IN_ORG):
        return ListScope(own, None)
    if principal.has_any_role(*READ_OWN_TEAMS):
        return ListScope(own, principal.team_ids)
    return ListScope(own, frozenset())


STAFF = ("coach", "physical_trainer", "club_admin", "platform_admin")


def ensure_staff(principal: Principal, action: str) -> None:
    require_any_role(principal, *STAFF, action=action)


def ensure_acts_for(principal: Principal, player_id: uuid.UUID) -> None:
    if not principal.acts_for(player_id):
        raise Forbidden("You can answer for yourself (or a minor you are guardian of) only.", field="player_id")


def staff_team_ids(principal: Principal) -> frozenset[uuid.UUID] | None:
    """Teams whose players this staff member may manage; None: every team of the club."""
    return None if principal.has_any_role(*READ_ALL_IN_ORG) else principal.team_ids


def ensure_can_manage_team(principal: Principal, team_id: uuid.UUID | None) -> None:
    ensure_staff(principal, "plan training")
    allowed = staff_team_ids(principal)
    if team_id is not None and allowed is not None and team_id not in allowed:
        raise Forbidden("You do not coach that team.", field="team_id")
