from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from operational.kit.pagination import Page
from operational.kit.schemas import Moment, SingleLine, WriteModel


class AnnouncementCreate(WriteModel):
    team_id: uuid.UUID
    title: SingleLine = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10000)
    requires_acknowledgement: bool = False
    deadline: Moment | None = Field(None, description="By when to acknowledge (only with requires_acknowledgement)")


class AnnouncementRead(BaseModel):
    id: uuid.UUID
    team_id: uuid.UUID
    team: str = Field(description="The team's name")
    author: str = Field(description="The author's name")
    title: str
    body: str
    requires_acknowledgement: bool
    deadline: datetime | None
    created_at: datetime
    acknowledged_for: list[str] = Field(description="Names of the players you acknowledged for (yourself, a child)")


class AnnouncementPage(Page[AnnouncementRead]):
    pass


class Acknowledge(WriteModel):
    player_id: uuid.UUID | None = Field(None, description="Your child's id when you acknowledge for them")


class AcknowledgementRow(BaseModel):
    player_id: uuid.UUID
    player: str
    acknowledged: bool
    acknowledged_by: str | None = Field(description="The player, or the guardian who acknowledged for them")
    acknowledged_at: datetime | None
    on_time: bool | None = Field(description="Before the deadline (None: not acknowledged, or no deadline)")


class AcknowledgementReport(BaseModel):
    announcement_id: uuid.UUID
    team: str
    deadline: datetime | None
    acknowledged: int
    players: int
    not_acknowledged: list[str] = Field(description="Names of the players nobody has acknowledged for yet")
    rows: list[AcknowledgementRow]
