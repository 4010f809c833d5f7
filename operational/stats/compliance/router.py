from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from operational.kit.auth import CurrentUser
from operational.stats.compliance import service
from operational.stats.compliance.schemas import TeamComplianceRead
from operational.stats.repository import SnapshotDep
from operational.stats.router import ReadableTeam

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


@router.get("/teams/{team_id}/compliance", response_model=TeamComplianceRead)
def team_compliance(
    team: ReadableTeam,
    user: CurrentUser,
    snapshot: SnapshotDep,
    days: Annotated[int, Query(ge=1, le=28, description="The window: the last N days, today included")] = 7,
) -> TeamComplianceRead:
    """Who of the team's players (today's roster, by name) has logged session RPE and wellness today and in the
    last `days` days, with their last days and days since, and the team's shares. "Today" is the club's. For the
    team's coaches and physical trainers and the club's admins."""
    return service.team_compliance(snapshot, user, team, days)
