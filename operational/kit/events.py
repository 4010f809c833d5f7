"""Building a domain event: the one place that stamps the id, the time and the request's correlation id."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from contracts.envelope import EventEnvelope, utc_now
from messaging.logs import current_correlation_id

if TYPE_CHECKING:
    from operational.kit.auth import Principal
from operational.kit.ids import uuid7


def new_event(
    model: type[EventEnvelope[Any]],
    *,
    org_id: uuid.UUID,
    subject_id: uuid.UUID | None,
    actor: Principal | uuid.UUID | None,
    data: Any,
) -> EventEnvelope[Any]:
    """``actor``: who caused the change — the caller (a principal), a user id, or None for the system itself."""
    actor_id = actor if actor is None or isinstance(actor, uuid.UUID) else actor.user_id
    return model(
        event_id=uuid7(),
        occurred_at=utc_now(),
        org_id=org_id,
        actor_id=actor_id,
        subject_id=subject_id,
        correlation_id=current_correlation_id(),
        data=data,
    )
