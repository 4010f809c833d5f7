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
    if player_id != principal.user_id:
        raise Forbidden("You can log session RPE for yourself only.", field="player_id")
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
    if log.player_id == principal.user_id or principal.has_any_role(*READ_ALL_IN_ORG):
        return True
    return principal.has_any_role(*READ_OWN_TEAMS) and log.team_id in principal.team_ids


def ensure_can_read(principal: Principal, log: SessionRpeLog | None) -> SessionRpeLog:
    # Not found and not allowed look the same, so ids of other clubs or teams reveal nothing.
    if log is None or not can_read(principal, log):
        raise NotFound("No such RPE log.")
    return log


@dataclass(frozen=True)
class ListScope:
    """What a list query may return beyond the caller's own logs: every team (None) or these teams."""

    viewer_id: uuid.UUID
    team_ids: frozenset[uuid.UUID] | None


def list_scope(principal: Principal) -> ListScope:
    if principal.has_any_role(*READ_ALL_IN_ORG):
        return ListScope(principal.user_id, None)
    if principal.has_any_role(*READ_OWN_TEAMS):
        return ListScope(principal.user_id, principal.team_ids)
    return ListScope(principal.user_id, frozenset())
