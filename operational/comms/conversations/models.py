"""The conversations' own tables beside those in ``operational/comms/models.py`` (schema ``comms``): attachments,
the history of changed messages, read marks, and the club's and each person's conversation settings."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from operational.comms.models import Base

REVISION_ACTIONS = ("edited", "deleted")


class Attachment(Base):
    """A file in a conversation: uploaded by a member, then sent with one of their messages (``message_id``). Its
    bytes are in the storage under ``storage_key``; the API serves them to those who may read the conversation."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_message", "message_id"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    uploaded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    filename: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MessageRevision(Base):
    """The text a message had before it was edited or deleted, who changed it and when: the safeguarding audit of
    what was said. Rows are never changed (a trigger refuses it); they go only with their author's erasure."""

    __tablename__ = "message_revisions"
    __table_args__ = (
        CheckConstraint(f"action IN {REVISION_ACTIONS}", name="action_known"),
        Index("ix_message_revisions_message", "message_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReadMark(Base):
    """A member read the conversation up to ``message_id`` at ``read_at`` (one row each time their mark moves on),
    so a receipt can say when each recipient first read a message."""

    __tablename__ = "read_marks"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    message_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClubConversationSettings(Base):
    """A club's conversation settings; a club without a row has the service's defaults."""

    __tablename__ = "conversation_settings"

    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    edit_window_minutes: Mapped[int | None] = mapped_column(Integer)
    read_receipts: Mapped[bool] = mapped_column(Boolean, server_default="true")
    changed_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PersonConversationSettings(Base):
    """One person's conversation settings: whether their read receipts are shown (and so whether they see others')."""

    __tablename__ = "conversation_person_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    read_receipts: Mapped[bool] = mapped_column(Boolean, server_default="true")
