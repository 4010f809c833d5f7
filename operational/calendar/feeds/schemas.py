from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from operational.kit.schemas import WriteModel


class FeedCreate(WriteModel):
    team_id: uuid.UUID | None = Field(None, description="A team's feed; omit for your own calendar")


class FeedRead(BaseModel):
    id: uuid.UUID
    team_id: uuid.UUID | None
    url: str = Field(description="Secret URL for calendar apps; shown once, revoke it to stop the feed")
