"""What a service declares about itself, in one object: the registry (operational/registry.py) lists these, and the
gateway, the worker, ``hub migrate``, the compose file and the tests all read that one list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import EventEnvelope
from contracts.private import PRIVATE_TYPES, PrivateEnvelope
from contracts.registry import REGISTRY
from messaging.consumer import HandlerFn
from messaging.outbox import Outbox
from operational.kit.config import HubSettings


@dataclass(frozen=True)
class Handler:
    """One event type the service consumes (a contract from contracts/registry.py) and what it does with it."""

    event: type[EventEnvelope[Any]]
    handle: HandlerFn

    def __post_init__(self) -> None:
        if self.event_type not in REGISTRY:
            raise ValueError(f"{self.event_type!r} is not an event type registered in contracts/registry.py")

    @property
    def event_type(self) -> str:
        return self.event.model_fields["type"].default

    @property
    def subject(self) -> str:
        return REGISTRY[self.event_type].subject


@dataclass(frozen=True)
class PrivateHandler:
    """One private message type the service consumes (contracts/private.py: never landed in the warehouse)."""

    event: type[PrivateEnvelope]
    handle: HandlerFn

    def __post_init__(self) -> None:
        if self.event_type not in PRIVATE_TYPES:
            raise ValueError(f"{self.event_type!r} is not a private message type of contracts/private.py")

    @property
    def event_type(self) -> str:
        return self.event.model_fields["type"].default


@dataclass(frozen=True)
class PeriodicJob:
    """Background work on a schedule: ``run`` once when the worker starts, then every ``every``."""

    name: str
    every: timedelta
    run: Callable[[AsyncEngine], Awaitable[Any]]


@dataclass(frozen=True)
class Service:
    """A service's registration.

    ``migrations`` is the Alembic script location (``"operational.<name>:migrations"``); ``outbox`` the outbox the
    worker relays to NATS; ``consumers`` the events its durable consumer (named after the service) handles, each
    once, through the shared inbox; ``jobs`` its periodic work, run by the worker; ``personal_data`` what it holds
    about the signed-in person, as JSON-ready data, which the account's export (``GET /users/me/export``) gathers
    from every service that declares it, so no service reads another's tables.
    """

    name: str
    settings: type[HubSettings]
    routers: Sequence[APIRouter] = ()
    migrations: str | None = None
    outbox: Outbox | None = None
    consumers: Sequence[Handler] = ()
    jobs: Sequence[PeriodicJob] = ()
    personal_data: Callable[[Any, Any], Awaitable[dict[str, Any]]] | None = None  # (session, principal) -> data
    # private messages (contracts/private.py): the outbox the worker relays to the private stream (rows deleted once
    # sent), and the ones this service's private consumer (``<name>_private``) handles
    private_outbox: Outbox | None = None
    private_consumers: Sequence[PrivateHandler] = ()

    def __post_init__(self) -> None:
        seen = [handler.event_type for handler in self.consumers]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{self.name}: one handler per event type")

    @property
    def handlers(self) -> dict[str, HandlerFn]:
        return {handler.event_type: handler.handle for handler in self.consumers}

    @property
    def subjects(self) -> set[str]:
        """The subjects the service's durable consumer subscribes to."""
        return {handler.subject for handler in self.consumers}
