"""The club's conversation settings (how long a message may be changed, whether read receipts exist at all) and each
person's (whether their read receipts are shown). A club without settings of its own has the service's defaults:
``HUB_COMMS_EDIT_WINDOW_MINUTES`` (15) and read receipts on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from operational.comms.config import CommsSettings
from operational.comms.conversations.settings import repository
from operational.comms.conversations.settings.schemas import (
    ClubConversationSettingsUpdate,
    ConversationSettingsRead,
    MyConversationSettingsUpdate,
)
from operational.kit.auth import Principal
from operational.kit.errors import Forbidden

ADMINS = ("club_admin", "platform_admin")


@dataclass(frozen=True)
class ClubRules:
    edit_window_minutes: int
    read_receipts: bool


async def club_rules(session: AsyncSession, settings: CommsSettings, org_id: uuid.UUID) -> ClubRules:
    row = await repository.club_settings(session, org_id)
    if row is None:
        return ClubRules(settings.edit_window_minutes, True)
    window = settings.edit_window_minutes if row.edit_window_minutes is None else row.edit_window_minutes
    return ClubRules(window, row.read_receipts)


async def receipts_shown(
    session: AsyncSession, settings: CommsSettings, org_id: uuid.UUID, user_ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``user_ids`` whose read receipts are shown (and who see others'): none when the club has them off."""
    if not (await club_rules(session, settings, org_id)).read_receipts:
        return set()
    return user_ids - await repository.receipts_off(session, org_id, user_ids)


async def read(session: AsyncSession, settings: CommsSettings, principal: Principal) -> ConversationSettingsRead:
    rules = await club_rules(session, settings, principal.org_id)
    mine = not await repository.receipts_off(session, principal.org_id, {principal.user_id})
    return ConversationSettingsRead(
        edit_window_minutes=rules.edit_window_minutes,
        club_read_receipts=rules.read_receipts,
        my_read_receipts=mine,
        read_receipts=rules.read_receipts and mine,
    )


async def change_club(
    session: AsyncSession, settings: CommsSettings, principal: Principal, body: ClubConversationSettingsUpdate
) -> ConversationSettingsRead:
    """Club admins only (403 otherwise)."""
    if not principal.has_any_role(*ADMINS):
        raise Forbidden("Only club admins change the club's conversation settings.")
    rules = await club_rules(session, settings, principal.org_id)
    changes = body.changes()
    await repository.save_club_settings(
        session,
        {"org_id": principal.org_id,
         "edit_window_minutes": changes.get("edit_window_minutes", rules.edit_window_minutes),
         "read_receipts": changes.get("read_receipts", rules.read_receipts),
         "changed_by": principal.user_id, "changed_at": datetime.now(UTC)},
    )  # fmt: skip
    return await read(session, settings, principal)


async def change_mine(
    session: AsyncSession, settings: CommsSettings, principal: Principal, body: MyConversationSettingsUpdate
) -> ConversationSettingsRead:
    await repository.save_person_settings(
        session, {"user_id": principal.user_id, "org_id": principal.org_id, "read_receipts": body.read_receipts}
    )
    return await read(session, settings, principal)
