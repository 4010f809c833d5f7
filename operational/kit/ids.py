"""Time-ordered identifiers (UUIDv7, RFC 9562): index-friendly and sortable by creation time."""

from __future__ import annotations

import uuid

import uuid6


def uuid7() -> uuid.UUID:
    # a plain uuid.UUID: uuid6's subclass adds nothing we use, and plain ones compare and serialize everywhere alike
    return uuid.UUID(int=uuid6.uuid7().int)
