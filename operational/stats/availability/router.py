from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from operational.kit.auth import CurrentUser
from operational.stats import policies
from operational.stats.availability import service
from operational.stats.availability.schemas import TeamAvailabilityRead
from operational.stats.policies import TeamRef
from operational.stats.repository import SnapshotDep
from operational.stats.router import PeriodDep

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


async def _team_for_health(user: CurrentUser, snapshot: SnapshotDep, team_id: Annotated[uuid.UUID, Path()]) -> TeamRef:
    return await policies.load_team(snapshot, user, team_id, policies.team_health_loader)


TeamForHealth = Annotated[TeamRef, Depends(_team_for_health)]


@router.get("/teams/{team_id}/availability", response_model=TeamAvailabilityRead)
def team_availability(
    team: TeamForHealth, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> TeamAvailabilityRead:
    """Every current player's availability today (status, coded restrictions, expected return, staff note; never a
    diagnosis), the week ahead (who is expected back when) and the share of available player-days per week (weeks
    starting in the period; by default those of the last 28 days). For the team's coaches and physical trainers,
    the club's admins and medical staff."""
    return service.team_availability(snapshot, user, team, period)
