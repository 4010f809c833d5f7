from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from operational.kit.auth import CurrentUser
from operational.stats import service
from operational.stats.repository import SnapshotDep
from operational.stats.schemas import (
    PlayerDailyLoadRead,
    PlayerLoadMetricsRead,
    PlayerTestResultsRead,
    PlayerWellnessRead,
    TeamDailyLoadRead,
    TeamLoadBoardRead,
)

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


@router.get("/teams/{team_id}/load-board", response_model=TeamLoadBoardRead)
def team_load_board(team_id: uuid.UUID, user: CurrentUser, snapshot: SnapshotDep) -> TeamLoadBoardRead:
    """Every player's latest acute and chronic load, ACWR (three labelled variants with bands), monotony,
    strain, latest wellness and current availability: for the team's coaches, physical trainers and club admins."""
    return service.team_load_board(snapshot, user, team_id)


@router.get("/players/{player_id}/load-metrics", response_model=PlayerLoadMetricsRead)
def player_load_metrics(
    player_id: uuid.UUID, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> PlayerLoadMetricsRead:
    """A player's daily load, acute and chronic load, ACWR variants, monotony and strain (default: last 28 days)."""
    return service.player_load_metrics(snapshot, user, player_id, period)


@router.get("/players/{player_id}/wellness", response_model=PlayerWellnessRead)
def player_wellness(
    player_id: uuid.UUID, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> PlayerWellnessRead:
    """A player's wellness scores against their own 28-day baseline (default: last 28 days)."""
    return service.player_wellness(snapshot, user, player_id, period)


@router.get("/players/{player_id}/test-results", response_model=PlayerTestResultsRead)
def player_test_results(player_id: uuid.UUID, user: CurrentUser, snapshot: SnapshotDep) -> PlayerTestResultsRead:
    """Every physical test result of a player, with the team percentile of their latest result of each test."""
    return service.player_test_results(snapshot, user, player_id)
