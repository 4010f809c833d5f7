from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import desc

from operational.comms.announcements import repository, service
from operational.comms.announcements.policies import ReadableAnnouncement, ReportableAnnouncement
from operational.comms.announcements.schemas import (
    Acknowledge,
    AcknowledgementReport,
    AnnouncementCreate,
    AnnouncementPage,
    AnnouncementRead,
)
from operational.comms.config import SettingsDep
from operational.comms.models import Announcement
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep, paginate

announcements_router = APIRouter(prefix="/api/v1/comms", tags=["comms"])


@announcements_router.post("/announcements", status_code=status.HTTP_201_CREATED, response_model=AnnouncementRead)
async def create_announcement(
    body: AnnouncementCreate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> AnnouncementRead:
    """Post an announcement to a team (its coaches, club admins); its players, parents and guardians are told."""
    announcement = await service.create(session, settings, user, body)
    announcement.team_players = set()
    return await service.read(session, user, announcement)


@announcements_router.get("/announcements", response_model=AnnouncementPage)
async def list_announcements(session: SessionDep, user: CurrentUser, page: PageDep) -> AnnouncementPage:
    """Announcements to your teams and your children's, newest first."""
    teams = await service.visible_team_ids(session, user)
    items, total = await paginate(
        session,
        repository.of_teams(user.org_id, teams),
        page,
        order_by=(desc(Announcement.created_at), Announcement.id),
    )
    return AnnouncementPage(
        items=[await service.read(session, user, item) for item in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@announcements_router.get("/announcements/{announcement_id}", response_model=AnnouncementRead)
async def get_announcement(announcement: ReadableAnnouncement, session: SessionDep, user: CurrentUser):
    """One announcement to your team or your child's, with the players you acknowledged it for."""
    return await service.read(session, user, announcement)


@announcements_router.post("/announcements/{announcement_id}/acknowledge", response_model=AnnouncementRead)
async def acknowledge(
    announcement: ReadableAnnouncement, session: SessionDep, user: CurrentUser, body: Acknowledge | None = None
) -> AnnouncementRead:
    """Acknowledge for yourself, or for your child (`player_id`); acknowledging again changes nothing."""
    return await service.acknowledge(session, user, announcement, body or Acknowledge())


@announcements_router.get("/announcements/{announcement_id}/report", response_model=AcknowledgementReport)
async def acknowledgement_report(
    announcement: ReportableAnnouncement, session: SessionDep, user: CurrentUser
) -> AcknowledgementReport:
    """Who of the team's players has acknowledged (themself or through a guardian), and who has not."""
    return await service.report(session, user, announcement)
