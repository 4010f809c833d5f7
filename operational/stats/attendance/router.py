from __future__ import annotations

from fastapi import APIRouter

from operational.kit.auth import CurrentUser
from operational.stats.attendance import service
from operational.stats.attendance.schemas import TeamAttendanceRead
from operational.stats.repository import SnapshotDep
from operational.stats.router import PeriodDep, ReadableTeam

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


@router.get("/teams/{team_id}/attendance", response_model=TeamAttendanceRead)
def team_attendance(
    team: ReadableTeam, user: CurrentUser, period: PeriodDep, snapshot: SnapshotDep
) -> TeamAttendanceRead:
    """Attendance of a team's players per week (weeks start on Monday; by default those of the last 28 days):
    events recorded, attended (present or late) and excused, and the rate without excused absences; per player
    (by name) and for the team. For the team's coaches and physical trainers and the club's admins."""
    return service.team_attendance(snapshot, user, team, period)
