"""Every event type the system knows: subject → model → version → producers and consumers.

One discriminated-union TypeAdapter parses any message; an unknown type or a payload that breaks its contract is an
error the consumer sends to the dead-letter stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from contracts import training, users
from contracts.envelope import SUBJECT_PREFIX, EventEnvelope


@dataclass(frozen=True)
class EventType:
    model: type[EventEnvelope[Any]]
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    description: str

    @property
    def name(self) -> str:
        return self.model.model_fields["type"].default

    @property
    def version(self) -> int:
        return self.model.model_fields["version"].default

    @property
    def subject(self) -> str:
        return SUBJECT_PREFIX + self.name


EVENT_TYPES: tuple[EventType, ...] = (
    EventType(users.OrganizationCreatedEvent, ("users",), ("warehouse",), "A club (tenant) was created."),
    EventType(users.TeamCreatedEvent, ("users",), ("warehouse",), "A team was created in a club."),
    EventType(users.UserCreatedEvent, ("users",), ("warehouse",), "A person got an account in a club."),
    EventType(users.MembershipAddedEvent, ("users",), ("warehouse",), "A person joined a team with a role."),
    EventType(
        training.SessionRpeLoggedEvent,
        ("training",),
        ("warehouse",),
        "A player logged session RPE and duration.",
    ),
)

REGISTRY: dict[str, EventType] = {event_type.name: event_type for event_type in EVENT_TYPES}

AnyEvent = Annotated[Union[tuple(e.model for e in EVENT_TYPES)], Field(discriminator="type")]  # noqa: UP007
event_adapter: TypeAdapter[EventEnvelope[Any]] = TypeAdapter(AnyEvent)


def parse_event(raw: bytes | str) -> EventEnvelope[Any]:
    """Parse and validate a message body against its registered contract (raises pydantic.ValidationError)."""
    return event_adapter.validate_json(raw)
