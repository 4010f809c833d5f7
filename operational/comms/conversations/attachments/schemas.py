"""What an attachment is, as those who may read its conversation see it (the bytes come from
``GET /attachments/{id}``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

# what a file may be, told by its first bytes (never by its name or the type the client sends): documents and
# pictures, the things a team sends (a permission slip, a lineup, a photo of the whiteboard)
SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("application/pdf", b"%PDF-", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/gif", b"GIF8", 0),
    ("image/webp", b"WEBP", 8),  # after "RIFF" and the length
)
MAX_PER_MESSAGE = 10


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    conversation_id: uuid.UUID
    message_id: uuid.UUID | None = Field(description="The message it was sent with; None until it is sent")
    filename: str
    content_type: str = Field(description="Told by the content: PDF, PNG, JPEG, GIF or WebP")
    size_bytes: int
    uploaded_at: datetime
