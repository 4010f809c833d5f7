from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from operational.kit.auth import CurrentUser
from operational.stats import service
from operational.stats.repository import SnapshotDep
from operational.stats.schemas import PlayerDailyLoadRead, TeamDailyLoadRead

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


def _period(
    date_from: Annotated[date | None, Query(alias="from", description="First day (YYYY-MM-DD), inclusive")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day (YYYY-MM-DD), inclusive")] = None,
) -> service.Period:
    return service.resolve_period(date_from, date_to)


PeriodDep = Annotated[service.Period, Depends(_period)]

# Endpoints are plain functions: DuckDB queries block, so they run in the thread pool, not on the event loop.
# The caller is checked first, so a request without a valid token learns nothing else (not even readiness).


@router.get("/players/{player_id}/daily-load", response_model=PlayerDailyLoadRead)
def player_daily_load(
    player_id: uuid.UUID, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> PlayerDailyLoadRead:
    """A player's daily session count, minutes and session-RPE load (by default the last 28 days).

    Players see themselves; coaches and physical trainers their teams' sessions; club admins the whole club.
    """
    return service.player_daily_load(snapshot, user, player_id, period)


@router.get("/teams/{team_id}/daily-load", response_model=TeamDailyLoadRead)
def team_daily_load(
    team_id: uuid.UUID, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> TeamDailyLoadRead:
    """Each player's daily load in one team's sessions: for its coaches, physical trainers and club admins."""
    return service.team_daily_load(snapshot, user, team_id, period)
