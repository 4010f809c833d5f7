from __future__ import annotations

from fastapi import APIRouter

from operational.comms.config import SettingsDep
from operational.comms.conversations.settings import service
from operational.comms.conversations.settings.schemas import (
    ClubConversationSettingsUpdate,
    ConversationSettingsRead,
    MyConversationSettingsUpdate,
)
from operational.kit.auth import CurrentUser
from operational.kit.db import SessionDep

settings_router = APIRouter(prefix="/api/v1/comms", tags=["comms"])


@settings_router.get("/conversation-settings", response_model=ConversationSettingsRead)
async def get_settings(session: SessionDep, user: CurrentUser, settings: SettingsDep) -> ConversationSettingsRead:
    """The club's edit window and read-receipt switch, and your own read-receipt switch."""
    return await service.read(session, settings, user)


@settings_router.patch("/conversation-settings/club", response_model=ConversationSettingsRead)
async def change_club_settings(
    body: ClubConversationSettingsUpdate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> ConversationSettingsRead:
    """Club admins: the edit window in minutes (0–1440) and whether the club has read receipts at all (403 for
    anyone else)."""
    return await service.change_club(session, settings, user, body)


@settings_router.put("/conversation-settings/me", response_model=ConversationSettingsRead)
async def change_my_settings(
    body: MyConversationSettingsUpdate, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> ConversationSettingsRead:
    """Turn your read receipts off (nobody sees that you read their message, and you do not see who read yours)
    or on again."""
    return await service.change_mine(session, settings, user, body)
