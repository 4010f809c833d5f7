"""The envelope every domain event travels in.

``type`` is ``<domain>.<entity>.<action>``; the NATS subject is ``hub.`` + type. ``event_id`` is a UUIDv7 and the
idempotency key everywhere: JetStream de-duplicates on it (``Nats-Msg-Id``) and every consumer skips ids it has seen.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SUBJECT_PREFIX = "hub."
STREAM_NAME = "HUB_EVENTS"
STREAM_SUBJECTS = ["hub.>"]
DEAD_LETTER_STREAM = "HUB_DEAD_LETTER"
DEAD_LETTER_PREFIX = "deadletter."

DataT = TypeVar("DataT", bound=BaseModel)


class Payload(BaseModel):
    """Base of every event payload: strict about unknown fields so a typo in a producer fails its tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EventEnvelope(BaseModel, Generic[DataT]):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID
    type: str = Field(pattern=r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    org_id: uuid.UUID
    actor_id: uuid.UUID | None = None
    subject_id: uuid.UUID | None = Field(None, description="The entity the event is about (log id, user id …).")
    correlation_id: str | None = None
    data: DataT

    @property
    def subject(self) -> str:
        return SUBJECT_PREFIX + self.type


def utc_now() -> datetime:
    return datetime.now(UTC)


def define_event(type_name: str, payload: type[DataT], version: int = 1) -> type[EventEnvelope[Any]]:
    """The envelope class of one event type: ``type`` and ``version`` fixed, ``data`` typed as ``payload``.

    Fixed literals are what lets one discriminated union parse any message into the right class.
    """
    name = "".join(part.title() for part in type_name.replace("_", ".").split(".")) + "Event"
    return type(
        name,
        (EventEnvelope[payload],),
        {
            "__annotations__": {"type": Literal[type_name], "version": Literal[version]},
            "type": type_name,
            "version": version,
            "__module__": payload.__module__,
        },
    )
