from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from operational.kit.auth import CurrentUser
from operational.stats import policies, service
from operational.stats.policies import PlayerRef, TeamRef
from operational.stats.repository import OptionalSnapshotDep, SnapshotDep
from operational.stats.schemas import (
    MeRead,
    PlayerDailyLoadRead,
    PlayerLoadMetricsRead,
    PlayerTestResultsRead,
    PlayerWellnessRead,
    TeamDailyLoadRead,
    TeamLoadBoardRead,
)

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


def _period(
    user: CurrentUser,
    date_from: Annotated[date | None, Query(alias="from", description="First day (YYYY-MM-DD), inclusive")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day (YYYY-MM-DD), inclusive")] = None,
) -> service.Period:
    return service.resolve_period(user, date_from, date_to)


PeriodDep = Annotated[service.Period, Depends(_period)]


# Loading an id is a point lookup in a small dimension table of the snapshot; these run on the event loop, while
# the endpoints below are plain functions, run in the thread pool, because their DuckDB queries block.
async def _readable_player(
    user: CurrentUser, snapshot: SnapshotDep, player_id: Annotated[uuid.UUID, Path()]
) -> PlayerRef:
    return await policies.load_player(snapshot, user, player_id)


async def _readable_team(user: CurrentUser, snapshot: SnapshotDep, team_id: Annotated[uuid.UUID, Path()]) -> TeamRef:
    return await policies.load_team(snapshot, user, team_id)


ReadablePlayer = Annotated[PlayerRef, Depends(_readable_player)]
ReadableTeam = Annotated[TeamRef, Depends(_readable_team)]

# The caller is checked first, so a request without a valid token learns nothing else (not even readiness).


@router.get("/me", response_model=MeRead)
def me(user: CurrentUser, snapshot: OptionalSnapshotDep) -> MeRead:
    """Whose statistics the caller may read: themself (if a player), the minors they are guardian of, and the teams
    they coach or train (every team of the club for club admins), with names, each list by name. Answers before the
    first pipeline run too, with the names still unknown."""
    return service.me(snapshot, user)


@router.get("/players/{player_id}/daily-load", response_model=PlayerDailyLoadRead)
def player_daily_load(
    player: ReadablePlayer, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> PlayerDailyLoadRead:
    """A player's daily session count, minutes and session-RPE load (by default the last 28 days).

    Players and their guardians see all of it; coaches and physical trainers their teams' sessions; club admins the
    whole club."""
    return service.player_daily_load(snapshot, user, player, period)


@router.get("/teams/{team_id}/daily-load", response_model=TeamDailyLoadRead)
def team_daily_load(
    team: ReadableTeam, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> TeamDailyLoadRead:
    """Each player's daily load in one team's sessions: for its coaches, physical trainers and club admins."""
    return service.team_daily_load(snapshot, user, team, period)


@router.get("/teams/{team_id}/load-board", response_model=TeamLoadBoardRead)
def team_load_board(team: ReadableTeam, user: CurrentUser, snapshot: SnapshotDep) -> TeamLoadBoardRead:
    """Every player's latest acute and chronic load, ACWR (the default variant and the alternatives, each with its
    acute and chronic load), completeness, days without entries, implausible days, monotony, strain, latest
    wellness and current availability: for the team's coaches, physical trainers and club admins."""
    return service.team_load_board(snapshot, user, team)


@router.get("/players/{player_id}/load-metrics", response_model=PlayerLoadMetricsRead)
def player_load_metrics(
    player: ReadablePlayer, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> PlayerLoadMetricsRead:
    """A player's daily load, acute and chronic load, ACWR variants, monotony and strain (default: last 28 days)."""
    return service.player_load_metrics(snapshot, user, player, period)


@router.get("/players/{player_id}/wellness", response_model=PlayerWellnessRead)
def player_wellness(
    player: ReadablePlayer, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> PlayerWellnessRead:
    """A player's wellness scores against their own 28-day baseline (default: last 28 days)."""
    return service.player_wellness(snapshot, user, player, period)


@router.get("/players/{player_id}/test-results", response_model=PlayerTestResultsRead)
def player_test_results(player: ReadablePlayer, user: CurrentUser, snapshot: SnapshotDep) -> PlayerTestResultsRead:
    """Every physical test result of a player, with the team percentile of their latest result of each test."""
    return service.player_test_results(snapshot, user, player)
