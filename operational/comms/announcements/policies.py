"""Who may read, acknowledge and report on which announcement.

Reading: the team's members (the token's teams), guardians of its players, club admins. Writing and the
acknowledgement report: the team's coaches and physical trainers (the roster says who) and club admins.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.announcements import repository
from operational.comms.models import Announcement
from operational.kit.auth import Principal
from operational.kit.loaders import Loader

ADMINS = ("club_admin", "platform_admin")


async def _with_team(session: AsyncSession, principal: Principal, announcement_id):
    announcement = await repository.get(session, principal.org_id, announcement_id)
    if announcement is not None:
        announcement.team_players = await repository.players_of(session, principal.org_id, announcement.team_id)
        announcement.staff_teams = await repository.staff_teams(session, principal.org_id, principal.user_id)
    return announcement


def can_read(principal: Principal, announcement: Announcement) -> bool:
    return (
        announcement.team_id in principal.team_ids
        or principal.has_any_role(*ADMINS)
        or bool(principal.guardian_of & announcement.team_players)
    )


def can_report(principal: Principal, announcement: Announcement) -> bool:
    return principal.has_any_role(*ADMINS) or announcement.team_id in announcement.staff_teams


announcement_loader = Loader(
    "announcement", _with_team, allowed=can_read, denied="That announcement is for another team."
)
ReadableAnnouncement = announcement_loader.from_path("announcement_id")
ReportableAnnouncement = announcement_loader.narrowed(
    can_report, "Only the team's coaches and club admins see who has acknowledged."
).from_path("announcement_id")
