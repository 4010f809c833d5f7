from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from operational.kit.auth import CurrentUser
from operational.stats.repository import SnapshotDep
from operational.stats.usage import service
from operational.stats.usage.schemas import ClubUsageListRead, ClubUsageRead

router = APIRouter(prefix="/api/v1/stats/usage", tags=["stats: usage"])


@router.get("/clubs", response_model=ClubUsageListRead)
def club_usage_list(user: CurrentUser, snapshot: SnapshotDep) -> ClubUsageListRead:
    """Each club's active users on its latest day (DAU, WAU, MAU, stickiness), by club name. Platform admins see
    every club; club admins their own."""
    return service.club_list(snapshot, user)


@router.get("/clubs/{club_id}", response_model=ClubUsageRead)
def club_usage(
    club_id: uuid.UUID,
    user: CurrentUser,
    snapshot: SnapshotDep,
    days: Annotated[int, Query(ge=7, le=366, description="The days shown: the last N, today included")] = 28,
    until: Annotated[date | None, Query(description="The last day shown (default: the club's today)")] = None,
) -> ClubUsageRead:
    """A club's usage: daily active users with their 7 and 28-day windows, the latest figures by role and team,
    weekly lifecycle (new, returning, resurrecting, dormant), feature adoption, invitations and every member's last
    sign-in. Club admins read their own club; platform admins any club."""
    return service.club_usage(snapshot, user, club_id, days, until or user.today())
