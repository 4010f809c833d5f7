"""Who may read whose statistics.

A player sees themself; coaches and physical trainers see their teams' rows; club and platform admins see
their whole club. Whatever a caller may not see looks exactly like something that does not exist (404), so ids
of other clubs, teams or players reveal nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden, NotFound

READ_WHOLE_ORG = frozenset({"club_admin", "platform_admin"})
READ_OWN_TEAMS = frozenset({"coach", "physical_trainer"})


@dataclass(frozen=True)
class RowScope:
    """The rows a query may return: always one club's, and of these teams only unless ``team_ids`` is None."""

    org_id: uuid.UUID
    team_ids: frozenset[uuid.UUID] | None


def player_scope(principal: Principal, player_id: uuid.UUID) -> RowScope:
    """Which of ``player_id``'s rows the caller may read; NotFound when none at all."""
    if player_id == principal.user_id or principal.has_any_role(*READ_WHOLE_ORG):
        return RowScope(principal.org_id, None)
    if principal.has_any_role(*READ_OWN_TEAMS) and principal.team_ids:
        return RowScope(principal.org_id, principal.team_ids)
    raise player_not_found()


def player_not_found() -> NotFound:
    return NotFound("No statistics for that player are visible to you.", field="player_id")


def team_not_found() -> NotFound:
    return NotFound("No statistics for that team are visible to you.", field="team_id")


def team_scope(principal: Principal, team_id: uuid.UUID) -> RowScope:
    """Rows of ``team_id`` in the caller's club, if the caller may read the team's load at all.

    Admins may ask for any team; the caller still learns nothing about a team with no rows in their own club
    (the service checks that, as it needs the data).
    """
    scope = RowScope(principal.org_id, frozenset({team_id}))
    if principal.has_any_role(*READ_WHOLE_ORG):
        return scope
    if team_id not in principal.team_ids:
        raise team_not_found()
    if principal.has_any_role(*READ_OWN_TEAMS):
        return scope
    # The caller is on this team, so saying it exists tells them nothing new.
    raise Forbidden(
        "Only the team's coaches and physical trainers and the club's admins see a team's load; "
        "your own is at /api/v1/stats/players/{your id}/daily-load.",
        field="team_id",
    )
