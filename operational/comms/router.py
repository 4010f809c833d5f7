from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from operational.comms import service
from operational.comms.policies import OwnNotification
from operational.comms.schemas import NotificationPage, NotificationRead, PreferenceRead, PreferenceUpdate
from operational.comms.templates import render
from operational.kit.auth import CurrentUser, Principal
from operational.kit.db import SessionDep
from operational.kit.pagination import PageDep

router = APIRouter(prefix="/api/v1/comms", tags=["comms"])


def _read(principal: Principal):
    def convert(notification) -> NotificationRead:
        text = render(notification.kind, notification.data, principal.lang)
        return NotificationRead(
            id=notification.id,
            category=notification.category,
            kind=notification.kind,
            title=text.title,
            body=text.body,
            created_at=notification.created_at,
            read_at=notification.read_at,
        )

    return convert


@router.get("/notifications", response_model=NotificationPage)
async def list_notifications(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    unread_only: Annotated[bool, Query(description="Only those not yet marked read")] = False,
) -> NotificationPage:
    """Your in-app notifications, newest first, with how many are unread."""
    items, total, unread = await service.list_notifications(session, user, page, unread_only=unread_only)
    convert = _read(user)
    return NotificationPage(
        items=[convert(item) for item in items], total=total, limit=page.limit, offset=page.offset, unread=unread
    )


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
async def mark_read(session: SessionDep, user: CurrentUser, notification: OwnNotification) -> NotificationRead:
    """Marks one of your notifications read (again: no change)."""
    return _read(user)(await service.mark_read(session, notification))


@router.get("/preferences", response_model=PreferenceRead)
async def get_preferences(session: SessionDep, user: CurrentUser) -> PreferenceRead:
    """How you are told about things."""
    return await service.preferences(session, user)


@router.put("/preferences", response_model=PreferenceRead)
async def put_preferences(session: SessionDep, user: CurrentUser, body: PreferenceUpdate) -> PreferenceRead:
    """Sets how you are told about things: the language and address of e-mail, and what you turn off."""
    return await service.save_preferences(session, user, body)
