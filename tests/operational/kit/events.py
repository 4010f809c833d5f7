"""An event to put through the outbox, the relay and consumers."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.envelope import utc_now
from contracts.training import SessionRpeLogged, SessionRpeLoggedEvent
from operational.kit.ids import uuid7


def rpe_logged_event(org_id: uuid.UUID) -> SessionRpeLoggedEvent:
    log_id = uuid7()
    return SessionRpeLoggedEvent(
        event_id=uuid7(),
        occurred_at=utc_now(),
        org_id=org_id,
        subject_id=log_id,
        data=SessionRpeLogged(
            log_id=log_id,
            player_id=uuid.uuid4(),
            session_date=date(2026, 11, 20),
            rpe=6,
            duration_minutes=60,
            session_rpe_load_au=360,
            logged_at=utc_now(),
        ),
    )
