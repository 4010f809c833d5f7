"""What a medical document is, as medical staff, the player and a guardian see it (the bytes come from
``GET /documents/{id}``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from operational.kit.pagination import Page

# what a document may be, told by its first bytes (never by the name or the type the client sends)
SIGNATURES: tuple[tuple[str, bytes], ...] = (
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
)


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    problem_id: uuid.UUID
    filename: str
    content_type: str
    size_bytes: int
    uploaded_by: uuid.UUID
    uploaded_at: datetime


class DocumentPage(Page[DocumentRead]):
    pass
