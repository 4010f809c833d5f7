from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, status

from operational.kit.auth import CurrentUser, bind_local_revocations
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep
from operational.users.clubs import configuration, service
from operational.users.clubs.schemas import (
    ClubConfigurationRead,
    ClubConfigurationUpdate,
    ClubCreate,
    ClubOnboarded,
    ClubPage,
    ClubRead,
    ClubSetting,
    ClubSettingChangePage,
    ClubSettingChangeRead,
    ClubStatus,
    ClubSuspend,
)
from operational.users.config import users_settings

# suspending a club ends its people's sessions, from the very next request in this process
clubs_router = APIRouter(
    prefix="/api/v1/admin/clubs", tags=["admin: clubs"], dependencies=[Depends(bind_local_revocations)]
)


@clubs_router.post("", status_code=status.HTTP_201_CREATED, response_model=ClubOnboarded)
async def onboard_club(body: ClubCreate, request: Request, session: SessionDep, user: CurrentUser) -> ClubOnboarded:
    """Platform admins: a new club, with its first club admin invited (the link is shown once)."""
    return await service.onboard(session, users_settings(request), user, body)


@clubs_router.get("", response_model=ClubPage)
async def list_clubs(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    status: ClubStatus | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=80, description="Part of the club's name")] = None,
) -> ClubPage:
    """Platform admins: every club, by name. Club admins: their own club."""
    clubs, total = await service.list_clubs(session, user, page, status=status, search=q)
    return ClubPage.of(clubs, total, page, service.read)


@clubs_router.get("/{club_id}", response_model=ClubRead)
async def get_club(club_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> ClubRead:
    """Platform admins: any club. Club admins: their own club (another club's id is not found)."""
    return service.read(await service.load_club(session, user, club_id))


@clubs_router.post("/{club_id}/suspend", response_model=ClubRead)
async def suspend_club(
    club_id: uuid.UUID, session: SessionDep, user: CurrentUser, body: Annotated[ClubSuspend | None, Body()] = None
) -> ClubRead:
    """Platform admins: the club's people can no longer sign in and their sessions end now; its data stays."""
    return service.read(await service.suspend(session, user, club_id, body.reason if body else None))


@clubs_router.post("/{club_id}/reactivate", response_model=ClubRead)
async def reactivate_club(club_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> ClubRead:
    """Platform admins: the club's people may sign in again."""
    return service.read(await service.reactivate(session, user, club_id))


configuration_router = APIRouter(prefix="/api/v1/admin/configuration", tags=["admin: club configuration"])


@configuration_router.get("", response_model=ClubConfigurationRead)
async def read_configuration(session: SessionDep, user: CurrentUser) -> ClubConfigurationRead:
    """Club admins: your club's switches."""
    return await configuration.read(session, user)


@configuration_router.patch("", response_model=ClubConfigurationRead)
async def update_configuration(
    body: ClubConfigurationUpdate, session: SessionDep, user: CurrentUser
) -> ClubConfigurationRead:
    """Club admins: change switches; send only the ones to change. Every change is kept in the audit."""
    return await configuration.update(session, user, body)


@configuration_router.get("/changes", response_model=ClubSettingChangePage)
async def list_configuration_changes(
    session: SessionDep, user: CurrentUser, page: PageDep, setting: ClubSetting | None = None
) -> ClubSettingChangePage:
    """Club admins: who changed which switch, when, from what to what; newest first."""
    changes, total = await configuration.list_changes(session, user, page, setting=setting)
    return ClubSettingChangePage.of(changes, total, page, _change_read)


def _change_read(change) -> ClubSettingChangeRead:
    return ClubSettingChangeRead(
        setting=change.setting,
        before=change.before,
        after=change.after,
        changed_at=change.changed_at,
        changed_by=change.actor_name,
        changed_by_id=change.actor_id,
    )
