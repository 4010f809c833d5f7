"""Who may read whose statistics, and the loaders that resolve every player and team id the stats API is given.

A player (and their guardian) sees everything about the player; coaches and physical trainers see their teams'
rows; club and platform admins see their whole club. Ids are resolved like everywhere else (kit/loaders.py): a player
or team of another club, or of nothing, is not found (404); one of the caller's club that the caller may not read is
forbidden (403). People and teams come from the warehouse's own read models, dim_players, dim_teams and
dim_team_memberships, in the serving snapshot.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from operational.kit.auth import Principal
from operational.kit.errors import Forbidden
from operational.kit.loaders import Loader, by_id
from warehouse.port import ServingCursor

READ_WHOLE_ORG = frozenset({"club_admin", "platform_admin"})
READ_OWN_TEAMS = frozenset({"coach", "physical_trainer"})
# Medical staff care for the whole club: they read every team's health statistics, small groups included.
MEDICAL_STAFF = "medical_staff"


@dataclass(frozen=True)
class RowScope:
    """The rows a query may return: always one club's, and of these teams only unless ``team_ids`` is None."""

    org_id: uuid.UUID
    team_ids: frozenset[uuid.UUID] | None


@dataclass(frozen=True)
class PlayerRef:
    """A person whose statistics are asked for, as the snapshot knows them."""

    player_id: uuid.UUID
    org_id: uuid.UUID
    player_name: str | None
    # Every team the person played for, or has rows under: who coaches one of them may read those rows.
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TeamRef:
    team_id: uuid.UUID
    org_id: uuid.UUID
    team_name: str | None


def reads_as_the_athlete(principal: Principal, player_id: uuid.UUID) -> bool:
    """The player themself, and a guardian of a minor (the ``guardian_of`` claim), read everything about them."""
    return principal.acts_for(player_id)


def can_read_player(principal: Principal, player: PlayerRef) -> bool:
    if reads_as_the_athlete(principal, player.player_id) or principal.has_any_role(*READ_WHOLE_ORG):
        return True
    return principal.has_any_role(*READ_OWN_TEAMS) and bool(player.team_ids & principal.team_ids)


def can_read_team(principal: Principal, team: TeamRef) -> bool:
    if principal.has_any_role(*READ_WHOLE_ORG):
        return True
    return principal.has_any_role(*READ_OWN_TEAMS) and team.team_id in principal.team_ids


def can_read_team_health(principal: Principal, team: TeamRef) -> bool:
    """Availability and injury surveillance of a team: its staff and the club's admins (aggregates, statuses) and
    the club's medical staff; never players or parents, whose teammates' health is not theirs to read."""
    return can_read_team(principal, team) or principal.has_any_role(MEDICAL_STAFF)


def sees_small_health_groups(principal: Principal) -> bool:
    """Whether breakdowns of a few problems (which, beside a player's known absence, would tell their diagnosis
    group) are shown as they are; everyone else gets them merged into one "other" row."""
    return principal.has_any_role(MEDICAL_STAFF)


def player_scope(principal: Principal, player_id: uuid.UUID) -> RowScope:
    """Which of a readable player's rows the caller sees: all of them, or those of the caller's teams."""
    if reads_as_the_athlete(principal, player_id) or principal.has_any_role(*READ_WHOLE_ORG):
        return RowScope(principal.org_id, None)
    return RowScope(principal.org_id, principal.team_ids)


def team_scope(principal: Principal, team: TeamRef) -> RowScope:
    return RowScope(principal.org_id, frozenset({team.team_id}))


async def _fetch_player(cursor: ServingCursor, player_id: uuid.UUID) -> PlayerRef | None:
    from operational.stats import repository  # the repository needs RowScope from here

    return repository.player_ref(cursor, player_id)


async def _fetch_team(cursor: ServingCursor, team_id: uuid.UUID) -> TeamRef | None:
    from operational.stats import repository

    return repository.team_ref(cursor, team_id)


# The snapshot is a DuckDB file, not a Postgres session: the fetches are point lookups in small dimension tables.
player_loader: Loader[PlayerRef] = Loader(
    "player",
    by_id(_fetch_player),  # type: ignore[arg-type]
    allowed=can_read_player,
    denied="You can read the statistics of yourself, your children and the players of the teams you coach.",
)
team_loader: Loader[TeamRef] = Loader(
    "team",
    by_id(_fetch_team),  # type: ignore[arg-type]
    allowed=can_read_team,
    denied="A team's statistics are for its coaches and physical trainers and the club's admins; "
    "your own statistics are on your player page.",
)

team_health_loader: Loader[TeamRef] = Loader(
    "team",
    by_id(_fetch_team),  # type: ignore[arg-type]
    allowed=can_read_team_health,
    denied="A team's availability and injury statistics are for its coaches and physical trainers, the club's "
    "admins and medical staff.",
)


async def load_player(cursor: ServingCursor, principal: Principal, player_id: uuid.UUID) -> PlayerRef:
    """The player, or NotFound / Forbidden. Callers asking about themselves (or their child) always get an answer,
    possibly empty: their token vouches for the person before any event about them has reached the warehouse."""
    if reads_as_the_athlete(principal, player_id):
        found = await _fetch_player(cursor, player_id)
        if found is None or str(found.org_id) != str(principal.org_id):
            # rows are read in the caller's club only, so a namesake elsewhere shows nothing
            return PlayerRef(player_id=player_id, org_id=principal.org_id, player_name=None)
        return found
    return await player_loader.load(cursor, principal, player_id, field="player_id")


async def load_team(
    cursor: ServingCursor,
    principal: Principal,
    team_id: uuid.UUID,
    loader: Loader[TeamRef] = team_loader,
) -> TeamRef:
    """The team, or NotFound / Forbidden. A team named in the caller's token is known to them even before it has
    rows; whether they may read its statistics is decided the same way then as later (a player may not)."""
    if team_id in principal.team_ids and await _fetch_team(cursor, team_id) is None:
        team = TeamRef(team_id=team_id, org_id=principal.org_id, team_name=None)
        if not loader.allowed(principal, team):
            raise Forbidden(loader.denied, field="team_id")
        return team
    return await loader.load(cursor, principal, team_id, field="team_id")
