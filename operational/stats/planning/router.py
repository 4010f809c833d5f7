from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from operational.kit.auth import CurrentUser
from operational.stats.planning import service
from operational.stats.planning.schemas import GoalsRead, PlayerFormRead, SeasonPlanRead, TeamEffortRead, TeamFormRead
from operational.stats.repository import SnapshotDep
from operational.stats.router import ReadablePlayer, ReadableTeam

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])

FromQuery = Annotated[date | None, Query(alias="from", description="First day (YYYY-MM-DD), inclusive")]
ToQuery = Annotated[date | None, Query(alias="to", description="Last day (YYYY-MM-DD), inclusive; may lie ahead")]


def _plan_window(user: CurrentUser, date_from: FromQuery = None, date_to: ToQuery = None) -> service.Window:
    return service.window(user, date_from, date_to, back=42, ahead=28)


PlanWindow = Annotated[service.Window, Depends(_plan_window)]


@router.get("/teams/{team_id}/season-plan", response_model=SeasonPlanRead)
def team_season_plan(team: ReadableTeam, user: CurrentUser, span: PlanWindow, snapshot: SnapshotDep) -> SeasonPlanRead:
    """Planned against actual load per week of the team's season plan (by default six weeks back, four ahead):
    the plan's load, sessions and intensity mix, the players' mean logged load and its ratio to the plan with its
    trend, sessions missed and added; each player's weeks by name; and the ranked key games. For the team's coaches
    and physical trainers and the club's admins."""
    return service.season_plan(snapshot, user, team, span)


@router.get("/teams/{team_id}/form", response_model=TeamFormRead)
def team_form(team: ReadableTeam, user: CurrentUser, span: PlanWindow, snapshot: SnapshotDep) -> TeamFormRead:
    """Fitness (42-day EWMA of load), fatigue (7-day) and form = fitness − fatigue, per player and the team's mean,
    continued into the weeks ahead on the season plan's planned load, with the key games to read it against."""
    return service.team_form(snapshot, user, team, span)


@router.get("/players/{player_id}/form", response_model=PlayerFormRead)
def player_form(player: ReadablePlayer, user: CurrentUser, span: PlanWindow, snapshot: SnapshotDep) -> PlayerFormRead:
    """A player's fitness, fatigue and form, projected on their team's plan: the player, their guardian and the
    staff of their teams."""
    return PlayerFormRead.model_validate(service.player_form(snapshot, user, player, span))


@router.get("/teams/{team_id}/effort", response_model=TeamEffortRead)
def team_effort(team: ReadableTeam, user: CurrentUser, snapshot: SnapshotDep) -> TeamEffortRead:
    """Intended against perceived RPE per coach and session type with the standardised mean difference (Cohen's d,
    Hedges' g) and the published reference (SMD ≈ −0.44)."""
    return service.team_effort(snapshot, user, team)


@router.get("/teams/{team_id}/goals", response_model=GoalsRead)
def team_goals(team: ReadableTeam, user: CurrentUser, snapshot: SnapshotDep) -> GoalsRead:
    """The team's goals and its players' goals with their progress measured in the warehouse."""
    return service.team_goals(snapshot, user, team)


@router.get("/players/{player_id}/goals", response_model=GoalsRead)
def player_goals(player: ReadablePlayer, user: CurrentUser, snapshot: SnapshotDep) -> GoalsRead:
    """A player's goals and their teams' team goals with progress: the player, their guardian and their teams'
    staff."""
    return service.player_goals(snapshot, user, player)
