"""Which team a record about a player is filed under: the player's team on the record's day, never the actor's.

The roster read model says which teams the player played for that day (falling back to today's teams when its history
does not reach back that far). One team: that one. Several: the client names one of them (``team_id``). None: the
record has no team.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from operational.kit.auth import Principal
from operational.kit.errors import InvalidValue
from operational.training import repository
from operational.training.loaders import team_loader


async def players_teams_on(
    session: AsyncSession, principal: Principal, player_id: uuid.UUID, day: date, *, lock: str | None = None
) -> set:
    # else today's teams; ``lock``: see team_for_record
    teams = await repository.teams_of_player_on(session, principal.org_id, player_id, day, lock=lock)
    if not teams and player_id == principal.user_id:
        # a new player the read model has not heard of yet: their signed token names their teams
        teams = set(principal.team_ids)
    return teams


async def team_for_record(
    session: AsyncSession,
    principal: Principal,
    player_id: uuid.UUID,
    day: date,
    wanted: uuid.UUID | None,
    *,
    keep: uuid.UUID | None = None,
    field: str = "team_id",
    lock: str | None = None,
) -> uuid.UUID | None:
    """The team to file a record of ``player_id`` on ``day`` under.

    ``wanted`` is the team the client named (it must be one of the player's teams that day: else 422; another club's
    or an unknown team: 404); ``keep`` is the record's current team, kept on a correction while it still fits (or
    while the read model knows no team of the player). ``lock``: a kind of record (``"rpe"``) whose player-day lock
    (repository.lock_player_day) is taken in the same round trip as the lookup, before any refusal here.
    """
    if wanted is not None:
        await team_loader.load(session, principal, wanted, field=field)
    teams = await players_teams_on(session, principal, player_id, day, lock=lock)
    if wanted is not None:
        if wanted not in teams:
            raise InvalidValue(
                f"That team is not one of the player's teams on {day.isoformat()}; "
                + ("leave team_id out." if len(teams) <= 1 else "name one of their teams or leave team_id out."),
                field=field,
            )
        return wanted
    if keep is not None and (keep in teams or not teams):
        return keep
    if len(teams) == 1:
        return next(iter(teams))
    if not teams:
        return None
    raise InvalidValue(
        f"The player plays for {len(teams)} teams on {day.isoformat()}; say which one this is for (team_id: "
        + " or ".join(sorted(str(team) for team in teams))
        + ").",
        field=field,
    )
