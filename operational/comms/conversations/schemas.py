from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

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
    body: str = Field(min_length=1, max_length=4000)
    reply_to_id: uuid.UUID | None = None


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
    deleted: bool


class MessageList(BaseModel):
    items: list[MessageRead]
    next_after: uuid.UUID | None = Field(description="Pass as `after` for the messages after these; None: up to date")
