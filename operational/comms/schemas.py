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
Channel = Literal["in_app", "email", "push", "sms"]


class MutedChannel(BaseModel):
    category: Category
    channel: Channel


class PreferenceRead(BaseModel):
    """How you are told: language of e-mail (the app follows your sign-in's language), the address e-mail goes to
    (none: no e-mail), and what you turned off."""

    language: Literal["sv", "en"] | None
    email: str | None
    phone: str | None = Field(None, description="Where SMS goes (E.164); none: no SMS")
    muted: list[MutedChannel]
    digest: list[Category] = Field(default_factory=list, description="Categories e-mailed once a day, together")


class PreferenceUpdate(WriteModel):
    language: Literal["sv", "en"] | None = None
    email: EmailStr | None = Field(None, description="Where e-mail goes; leave it out to get none")
    phone: str | None = Field(
        None, pattern=r"^\+[1-9][0-9]{6,14}$", description="Where SMS goes, E.164 (+46701234567); leave it out: none"
    )
    muted: list[MutedChannel] = Field(default_factory=list, max_length=20)
    digest: list[Category] = Field(
        default_factory=list,
        max_length=5,
        description="Categories whose e-mail comes as one daily digest at the club's digest time (07:00) on your clock",
    )


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=80, max_length=100, pattern=r"^[A-Za-z0-9_-]+=*$", description="base64url P-256 key")
    auth: str = Field(min_length=16, max_length=32, pattern=r"^[A-Za-z0-9_-]+=*$", description="base64url secret")


class PushSubscriptionCreate(WriteModel):
    """A browser's ``PushSubscription.toJSON()``: the push service's endpoint and the browser's keys."""

    endpoint: str = Field(max_length=2048, description="https:// URL of a public push service")
    keys: PushKeys


class PushSubscriptionRead(BaseModel):
    id: uuid.UUID
    endpoint: str
    created_at: datetime


class PushKeyRead(BaseModel):
    application_server_key: str = Field(description="The server's VAPID public key (base64url), for subscribe()")
