from __future__ import annotations

from pydantic import BaseModel, Field

from operational.kit.schemas import PatchModel, WriteModel


class ConversationSettingsRead(BaseModel):
    """The club's conversation settings and yours. Read receipts are shown only when both the club and you have them
    on: with yours off, nobody sees that you have read their message, and you do not see who read yours."""

    edit_window_minutes: int = Field(description="How long after sending a message its author may edit or delete it")
    club_read_receipts: bool = Field(description="Whether the club has read receipts on")
    my_read_receipts: bool = Field(description="Whether you have yours on")
    read_receipts: bool = Field(description="Whether receipts are shown to you and yours to others")


class ClubConversationSettingsUpdate(PatchModel):
    """Club admins: what is sent changes; what is left out stays."""

    edit_window_minutes: int | None = Field(None, ge=0, le=24 * 60, description="0: messages cannot be changed")
    read_receipts: bool | None = None


class MyConversationSettingsUpdate(WriteModel):
    read_receipts: bool
