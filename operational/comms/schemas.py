from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, EmailStr, Field

from operational.kit.pagination import Page
from operational.kit.schemas import WriteModel


class NotificationRead(BaseModel):
    """One notification, in the reader's language (the token's ``lang``)."""

    id: uuid.UUID
    category: str = Field(description="schedule, account, availability, announcement or payment")
    kind: str = Field(description="What happened, e.g. event_moved")
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread: int = Field(description="How many of all the reader's notifications are unread")


Category = Literal["schedule", "account", "availability", "announcement", "payment"]
Channel = Literal["in_app", "email"]


class MutedChannel(BaseModel):
    category: Category
    channel: Channel


class PreferenceRead(BaseModel):
    """How you are told: language of e-mail (the app follows your sign-in's language), the address e-mail goes to
    (none: no e-mail), and what you turned off."""

    language: Literal["sv", "en"] | None
    email: str | None
    muted: list[MutedChannel]
    digest: list[Category] = Field(default_factory=list, description="Categories e-mailed once a day, together")


class PreferenceUpdate(WriteModel):
    language: Literal["sv", "en"] | None = None
    email: EmailStr | None = Field(None, description="Where e-mail goes; leave it out to get none")
    muted: list[MutedChannel] = Field(default_factory=list, max_length=10)
    digest: list[Category] = Field(
        default_factory=list,
        max_length=5,
        description="Categories whose e-mail comes as one daily digest at the club's digest time (07:00) on your clock",
    )
