"""Usage reports of a club: active users, lifecycle, feature adoption, invitations and last sign-ins.

Club admins read their own club; platform admins every club. Another club's id is not found to a club admin (it
reveals nothing); anyone else is refused.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from operational.kit.auth import Principal
from operational.kit.errors import NotFound
from operational.kit.policies import require_any_role
from operational.stats import repository as stats_repository
from operational.stats.usage import repository
from operational.stats.usage.schemas import (
    ClubUsageListRead,
    ClubUsageRead,
    ClubUsageSummaryRead,
    InvitationCountsRead,
    SegmentActiveUsersRead,
)
from warehouse.port import ServingCursor

READERS = ("club_admin", "platform_admin")
LIFECYCLE_WEEKS = 12


def _every_club(principal: Principal) -> bool:
    return principal.has_any_role("platform_admin")


def club_list(cursor: ServingCursor, principal: Principal) -> ClubUsageListRead:
    require_any_role(principal, *READERS, action="read usage reports")
    only = None if _every_club(principal) else [str(principal.org_id)]
    clubs = [ClubUsageSummaryRead(**row) for row in repository.club_summaries(cursor, only)]
    if only is not None and not clubs:  # the caller's own club before any of its events reached the warehouse
        clubs = [
            ClubUsageSummaryRead(
                club_id=principal.org_id,
                club_name=None,
                usage_date=None,
                daily_active_users=0,
                weekly_active_users=0,
                monthly_active_users=0,
                stickiness=None,
            )
        ]
    return ClubUsageListRead(as_of=stats_repository.snapshot_published_at(cursor), clubs=clubs)


def load_club(cursor: ServingCursor, principal: Principal, club_id: uuid.UUID) -> str | None:
    """The club's name, once the caller may read it."""
    require_any_role(principal, *READERS, action="read usage reports")
    if club_id != principal.org_id and not _every_club(principal):
        raise NotFound("No such club.", field="club_id")
    known, name = repository.club_name(cursor, club_id)
    if not known and club_id != principal.org_id:
        raise NotFound("No such club.", field="club_id")
    return name


def _latest_per_key(rows: list[dict], segment: str) -> list[SegmentActiveUsersRead]:
    latest: dict[str, dict] = {}
    for row in rows:
        if row["segment"] == segment:
            latest[row["segment_key"]] = row  # rows come oldest first per key
    return [
        SegmentActiveUsersRead(
            **{k: v for k, v in row.items() if k not in ("segment_key", "team_name")},
            key=row["segment_key"],
            name=row["team_name"] if segment == "team" else row["segment_key"].replace("_", " "),
        )
        for row in latest.values()
    ]


def club_usage(
    cursor: ServingCursor, principal: Principal, club_id: uuid.UUID, days: int, today: date
) -> ClubUsageRead:
    name = load_club(cursor, principal, club_id)
    date_from = today - timedelta(days=days - 1)
    rows = repository.active_users(cursor, club_id, date_from, today)
    counts = repository.invitation_counts(cursor, club_id)
    return ClubUsageRead(
        club_id=club_id,
        club_name=name,
        as_of=stats_repository.snapshot_published_at(cursor),
        date_from=date_from,
        date_to=today,
        club=[
            {k: v for k, v in row.items() if k not in ("segment", "segment_key", "team_name")}
            for row in rows
            if row["segment"] == "club"
        ],
        latest_by_role=_latest_per_key(rows, "role"),
        latest_by_team=_latest_per_key(rows, "team"),
        lifecycle=repository.lifecycle(cursor, club_id, LIFECYCLE_WEEKS),
        adoption=repository.adoption(cursor, club_id),
        invitations=InvitationCountsRead(
            sent=sum(counts.values()),
            accepted=counts.get("accepted", 0),
            expired=counts.get("expired", 0),
            pending=counts.get("pending", 0),
        ),
        members=[
            {**row, "role": row["primary_role"].replace("_", " ")}
            for row in repository.member_sign_ins(cursor, club_id)
        ],
    )
