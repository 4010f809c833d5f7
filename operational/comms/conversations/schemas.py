from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from operational.comms.conversations.attachments.schemas import MAX_PER_MESSAGE, AttachmentRead
from operational.kit.schemas import SingleLine, WriteModel


class ConversationCreate(WriteModel):
    """A group (with a title) or a private conversation with the people named (you are added yourself)."""

    kind: Literal["group", "private"]
    title: SingleLine | None = Field(None, min_length=1, max_length=100)
    member_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)


class MemberAdd(WriteModel):
    user_id: uuid.UUID


class ConversationRead(BaseModel):
    id: uuid.UUID
    kind: str
    title: str | None
    team_id: uuid.UUID | None
    members: list[str] = Field(description="Members' names")
    unread: int
    on_hold: bool = Field(description="Nobody can post: the safeguarding rule needs an adult to join")
    as_guardian: bool = Field(description="You read it as the guardian of a member, not as a member")


class MessageCreate(WriteModel):
    """Text, files uploaded to the conversation beforehand (``attachment_ids``), or both."""

    body: str = Field("", max_length=4000)
    reply_to_id: uuid.UUID | None = None
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_PER_MESSAGE)

    @model_validator(mode="after")
    def _says_something(self) -> MessageCreate:
        if not self.body.strip() and not self.attachment_ids:
            raise ValueError("a message needs a body or an attachment")
        return self


class MessageUpdate(WriteModel):
    body: str = Field(min_length=1, max_length=4000)


class MessageRead(BaseModel):
    id: uuid.UUID = Field(description="Also the cursor: ask for messages after it")
    conversation_id: uuid.UUID
    author: str = Field(description="The author's name")
    author_id: uuid.UUID
    body: str | None = Field(description="None once deleted")
    reply_to_id: uuid.UUID | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool = Field(description="Deleted by its author: shown as deleted, without text or files")
    attachments: list[AttachmentRead] = Field(default_factory=list)
    read_by: int | None = Field(
        None, description="Your own message: how many recipients have read it (None when read receipts are off)"
    )


class MessageList(BaseModel):
    items: list[MessageRead]
    next_after: uuid.UUID | None = Field(description="Pass as `after` for the messages after these; None: up to date")


class ReceiptRead(BaseModel):
    user_id: uuid.UUID
    name: str
    read: bool
    read_at: datetime | None = Field(description="When they first read it (None: not yet, or read before it was kept)")


class ReceiptList(BaseModel):
    """Who has read your message: every recipient whose read receipts are shown (others are left out)."""

    message_id: uuid.UUID
    read: int
    items: list[ReceiptRead]


class RevisionRead(BaseModel):
    action: str = Field(description="edited or deleted")
    body: str | None = Field(description="The text the message had before the change")
    changed_at: datetime


class MessageHistory(BaseModel):
    """A message as it is now and every text it had before (club admins, for the safeguarding audit)."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    author_id: uuid.UUID
    body: str | None
    deleted: bool
    revisions: list[RevisionRead]
