from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from operational.kit.pagination import Page


class NotificationRead(BaseModel):
    """One notification, in the reader's language (the token's ``lang``)."""

    id: uuid.UUID
    category: str = Field(description="schedule, account or availability")
    kind: str = Field(description="What happened, e.g. event_moved")
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread: int = Field(description="How many of all the reader's notifications are unread")
