"""Tables the kit itself keeps for every service, in the ``hub_kit`` schema."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, SmallInteger, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from operational.kit.db import service_base

SCHEMA = "hub_kit"
Base = service_base(SCHEMA)


class IdempotencyKey(Base):
    """A creating request sent with an ``Idempotency-Key``: its fingerprint, and once it succeeded, its response.

    ``state``: ``started`` (being processed), ``committed`` (its change is committed, the response not yet stored),
    ``completed`` (the response below is replayed for a retry).
    """

    __tablename__ = "idempotency_keys"

    owner: Mapped[str] = mapped_column(Text, primary_key=True)  # the caller's user id
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    method: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int | None] = mapped_column(SmallInteger)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_headers: Mapped[dict | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    locked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
