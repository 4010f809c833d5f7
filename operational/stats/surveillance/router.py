from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from operational.kit.auth import CurrentUser
from operational.stats.availability.router import TeamForHealth
from operational.stats.repository import SnapshotDep
from operational.stats.surveillance import service
from operational.stats.surveillance.schemas import GroupBy, TeamReturnToPlayRead, TeamSurveillanceRead

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])

SeasonQuery = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="The season, by the year it starts in (seasons start on 1 August)"),
]


@router.get("/teams/{team_id}/injury-surveillance", response_model=TeamSurveillanceRead)
def team_injury_surveillance(
    team: TeamForHealth, user: CurrentUser, snapshot: SnapshotDep, season: SeasonQuery = None
) -> TeamSurveillanceRead:
    """Injuries and illnesses of a team's season (by default the current one) after the IOC 2020 consensus:
    problems, incidence per 1,000 h of exposure, mean severity, burden (days lost per 1,000 h) with a bootstrap 95 %
    interval, severity bands, and the same per body area and OSIICS group (the risk matrix's points). Aggregates
    only, never a player or a diagnosis; groups of fewer than three problems are merged into "Other" for everyone
    but medical staff. For the team's coaches and physical trainers, the club's admins and medical staff."""
    return service.team_surveillance(snapshot, user, team, season)


@router.get("/teams/{team_id}/return-to-play", response_model=TeamReturnToPlayRead)
def team_return_to_play(
    team: TeamForHealth,
    user: CurrentUser,
    snapshot: SnapshotDep,
    group_by: Annotated[GroupBy, Query(description="Group problems by OSIICS group or body area")] = "osiics_group",
    season: SeasonQuery = None,
) -> TeamReturnToPlayRead:
    """Time to return to full participation after a time-loss problem, per group: the Kaplan-Meier curve and its
    median (problems still open count as censored today); every season unless one is asked for. Groups of fewer
    than three problems are merged (and left out if still fewer) for everyone but medical staff."""
    return service.team_return_to_play(snapshot, user, team, group_by, season)
